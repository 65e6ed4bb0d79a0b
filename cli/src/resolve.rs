//! `--policies DIR`: managed policy documents by name, for references that events and plans
//! only name by ARN (what the guard fetches from IAM at run time).
//!
//! Layout: `<DIR>/<PolicyName>.json` holding the policy document (the layout of the AWS
//! managed policy corpus) or an `aws iam get-policy-version` response
//! (`{"PolicyVersion": {"Document": ..., "VersionId": ...}}`). A specific version may be given
//! as `<DIR>/<PolicyName>/<VersionId>.json`.

use policy_guard::change::{policy_name, Reference, Resolution, Resolved, ResolvedPolicy};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// A directory of policy documents, read lazily and cached (per worker thread).
#[derive(Debug, Clone)]
pub struct PolicyDir {
    dir: PathBuf,
    cache: HashMap<PathBuf, Result<(String, Option<String>), String>>,
}

impl PolicyDir {
    pub fn new(dir: &Path) -> Result<PolicyDir, String> {
        match std::fs::metadata(dir) {
            Ok(meta) if meta.is_dir() => Ok(PolicyDir {
                dir: dir.to_path_buf(),
                cache: HashMap::new(),
            }),
            Ok(_) => Err(format!("--policies {}: not a directory", dir.display())),
            Err(e) => Err(format!(
                "--policies {}: {}",
                dir.display(),
                crate::input::io_message(&e)
            )),
        }
    }

    /// Resolves every reference of a change (what the guard's IAM resolver does).
    pub fn resolve_all(&mut self, references: &[Reference]) -> Resolved {
        let mut resolved = Resolved::new();
        for reference in references {
            let resolution = self.resolve(reference);
            resolved.insert(reference.clone(), resolution);
        }
        resolved
    }

    pub fn resolve(&mut self, reference: &Reference) -> Resolution {
        let arn = reference.policy_arn();
        let name = match safe_name(arn) {
            Ok(name) => name,
            Err(why) => return Resolution::Missing(why),
        };
        match reference {
            Reference::DefaultVersion { .. } => match self.default_document(arn) {
                Ok((document, version)) => Resolution::Found(ResolvedPolicy {
                    policy_arn: arn.to_string(),
                    version_id: version.unwrap_or_else(|| format!("from {name}.json")),
                    document,
                }),
                Err(why) => Resolution::Missing(why),
            },
            Reference::Version { version_id, .. } => {
                let Ok(version_name) = safe_component(version_id) else {
                    return Resolution::Missing(format!(
                        "version id {} is not a file name",
                        policy_guard::text::quoted(version_id)
                    ));
                };
                let path = self.dir.join(name).join(format!("{version_name}.json"));
                if let Ok((document, _)) = self.load(&path) {
                    return Resolution::Found(ResolvedPolicy {
                        policy_arn: arn.to_string(),
                        version_id: version_id.clone(),
                        document,
                    });
                }
                // A get-policy-version response of that very version.
                match self.default_document(arn) {
                    Ok((document, Some(found))) if found == *version_id => {
                        Resolution::Found(ResolvedPolicy {
                            policy_arn: arn.to_string(),
                            version_id: found,
                            document,
                        })
                    }
                    _ => Resolution::Missing(format!(
                        "the policy directory has no version {version_name} of {name} \
                         ({name}/{version_name}.json)"
                    )),
                }
            }
            Reference::PreviousVersion { .. } => Resolution::Missing(format!(
                "the policy directory holds no version history of {name}"
            )),
        }
    }

    /// The document `<DIR>/<PolicyName>.json` for a policy ARN, with its version id if the
    /// file says it.
    pub fn default_document(&mut self, arn: &str) -> Result<(String, Option<String>), String> {
        let name = safe_name(arn)?;
        let path = self.dir.join(format!("{name}.json"));
        self.load(&path)
    }

    fn load(&mut self, path: &Path) -> Result<(String, Option<String>), String> {
        if let Some(cached) = self.cache.get(path) {
            return cached.clone();
        }
        let result = read_document(path);
        self.cache.insert(path.to_path_buf(), result.clone());
        result
    }
}

fn read_document(path: &Path) -> Result<(String, Option<String>), String> {
    let shown = crate::input::display_path(path);
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(format!("no {shown} in the policy directory"));
        }
        Err(e) => {
            return Err(format!(
                "cannot read {shown}: {}",
                crate::input::io_message(&e)
            ))
        }
    };
    // A get-policy-version response: the document and its version id.
    if let Ok(Value::Object(object)) = serde_json::from_str::<Value>(&text) {
        if let Some(Value::Object(version)) = object.get("PolicyVersion") {
            let id = version
                .get("VersionId")
                .and_then(Value::as_str)
                .map(str::to_string);
            return match version.get("Document") {
                Some(Value::String(document)) => Ok((document.clone(), id)),
                Some(document @ Value::Object(_)) => Ok((document.to_string(), id)),
                _ => Err(format!("{shown} has no PolicyVersion.Document")),
            };
        }
    }
    Ok((text, None))
}

/// The policy name of an ARN, if it is safe as a file name.
fn safe_name(arn: &str) -> Result<&str, String> {
    safe_component(policy_name(arn)).map_err(|_| {
        format!(
            "{} does not end in a policy name usable as a file name",
            policy_guard::text::quoted(arn)
        )
    })
}

/// IAM names are `[\w+=,.@-]+`; anything else (a `/`, `..`) is refused.
fn safe_component(name: &str) -> Result<&str, ()> {
    let ok = !name.is_empty()
        && name != "."
        && name != ".."
        && name.len() <= 128
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    if ok {
        Ok(name)
    } else {
        Err(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_must_be_file_names() {
        assert_eq!(
            safe_name("arn:aws:iam::aws:policy/AdministratorAccess"),
            Ok("AdministratorAccess")
        );
        assert!(safe_name("arn:aws:iam::aws:policy/..").is_err());
        assert!(safe_name("arn:aws:iam::aws:policy/a b").is_err());
        assert!(safe_name("").is_err());
    }
}
