//! Managed policy documents for references that events and plans only name by ARN (what the
//! guard fetches from IAM at run time): `--policies DIR` first (it overrides), then, for AWS
//! managed ARNs (`arn:aws:iam::aws:policy/...`), the embedded snapshot of the AWS managed
//! policies (`policy-guard-managed`), whose resolutions say "from the embedded snapshot of
//! <date>" in their version label. A customer-managed ARN resolves only through `--policies`.
//!
//! Layout: `<DIR>/<PolicyName>.json` holding the policy document (the layout of the AWS
//! managed policy corpus) or an `aws iam get-policy-version` response
//! (`{"PolicyVersion": {"Document": ..., "VersionId": ...}}`). A specific version may be given
//! as `<DIR>/<PolicyName>/<VersionId>.json`.

use policy_guard::change::{policy_name, Reference, Resolution, Resolved, ResolvedPolicy};
use policy_guard_managed::{ManagedPolicy, SnapshotError};
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};

/// Where referenced policies are resolved: a directory of policy documents (`--policies`),
/// read lazily and cached (per worker thread), then the embedded AWS managed-policy snapshot.
#[derive(Debug, Clone)]
pub struct PolicyDir {
    dir: Option<PathBuf>,
    cache: HashMap<PathBuf, Result<(String, Option<String>), String>>,
}

impl PolicyDir {
    /// No `--policies`: AWS managed ARNs resolve from the embedded snapshot, nothing else does.
    pub fn embedded() -> PolicyDir {
        PolicyDir {
            dir: None,
            cache: HashMap::new(),
        }
    }

    /// `--policies DIR`, with the embedded snapshot behind it for AWS managed ARNs.
    pub fn new(dir: &Path) -> Result<PolicyDir, String> {
        match std::fs::metadata(dir) {
            Ok(meta) if meta.is_dir() => Ok(PolicyDir {
                dir: Some(dir.to_path_buf()),
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
                if let Some(dir) = &self.dir {
                    let path = dir.join(name).join(format!("{version_name}.json"));
                    if let Ok((document, _)) = self.load(&path) {
                        return Resolution::Found(ResolvedPolicy {
                            policy_arn: arn.to_string(),
                            version_id: version_id.clone(),
                            document,
                        });
                    }
                    // A get-policy-version response of that very version.
                    if let Ok((document, Some(found))) = self.directory_document(arn) {
                        if found == *version_id {
                            return Resolution::Found(ResolvedPolicy {
                                policy_arn: arn.to_string(),
                                version_id: found,
                                document,
                            });
                        }
                    }
                }
                // The snapshot holds default versions only: that version if it is the one.
                match snapshot_policy(arn) {
                    Ok(Some((policy, date))) if policy.version_id == *version_id => {
                        Resolution::Found(ResolvedPolicy {
                            policy_arn: arn.to_string(),
                            version_id: snapshot_label(&policy.version_id, date),
                            document: policy.document.clone(),
                        })
                    }
                    Ok(Some((policy, date))) => Resolution::Missing(format!(
                        "{}the embedded snapshot of {date} holds {} of {name}, not {version_name}",
                        self.directory_lacks(&format!("{name}/{version_name}.json")),
                        policy.version_id
                    )),
                    Ok(None) | Err(_) => Resolution::Missing(match &self.dir {
                        Some(_) => format!(
                            "the policy directory has no version {version_name} of {name} \
                             ({name}/{version_name}.json)"
                        ),
                        None => unresolved_without_dir(arn),
                    }),
                }
            }
            Reference::PreviousVersion { .. } => Resolution::Missing(match &self.dir {
                Some(_) => format!("the policy directory holds no version history of {name}"),
                None if policy_guard_managed::is_aws_managed(arn) => format!(
                    "no version history of {name} without --policies DIR \
                     (the embedded snapshot holds default versions only)"
                ),
                None => format!("no version history of {name}: pass --policies DIR"),
            }),
        }
    }

    /// The default version of a policy ARN: `<DIR>/<PolicyName>.json` (with its version id if
    /// the file says it), else for an AWS managed ARN the embedded snapshot (its version id
    /// labelled "from the embedded snapshot of <date>").
    pub fn default_document(&mut self, arn: &str) -> Result<(String, Option<String>), String> {
        let name = safe_name(arn)?;
        // A file in the directory overrides the snapshot, and one that cannot be read is an
        // error of its own, never hidden behind the snapshot.
        let from_dir = match &self.dir {
            Some(dir) if dir.join(format!("{name}.json")).exists() => {
                return self.directory_document(arn)
            }
            Some(_) => Some(format!("no {name}.json in the policy directory")),
            None => None,
        };
        match snapshot_policy(arn) {
            Ok(Some((policy, date))) => Ok((
                policy.document.clone(),
                Some(snapshot_label(&policy.version_id, date)),
            )),
            Ok(None) if policy_guard_managed::is_aws_managed(arn) => Err(format!(
                "{}{name} is not in the embedded snapshot of AWS managed policies",
                self.directory_lacks(&format!("{name}.json"))
            )),
            Ok(None) => Err(from_dir.unwrap_or_else(|| unresolved_without_dir(arn))),
            Err(error) => Err(from_dir.unwrap_or_else(|| error.to_string())),
        }
    }

    /// `<DIR>/<PolicyName>.json` only.
    fn directory_document(&mut self, arn: &str) -> Result<(String, Option<String>), String> {
        let name = safe_name(arn)?;
        let Some(dir) = &self.dir else {
            return Err(unresolved_without_dir(arn));
        };
        let path = dir.join(format!("{name}.json"));
        self.load(&path)
    }

    /// "no X in the policy directory and " when there is a directory, for messages that go on
    /// to say why the snapshot did not help either.
    fn directory_lacks(&self, file: &str) -> String {
        match &self.dir {
            Some(_) => format!("no {file} in the policy directory and "),
            None => String::new(),
        }
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

/// The embedded snapshot's default version of an AWS managed ARN, with the snapshot's date.
fn snapshot_policy(
    arn: &str,
) -> Result<Option<(&'static ManagedPolicy, &'static str)>, SnapshotError> {
    if !policy_guard_managed::is_aws_managed(arn) {
        return Ok(None);
    }
    let snapshot = policy_guard_managed::snapshot()?;
    Ok(snapshot.by_arn(arn).map(|policy| (policy, snapshot.date())))
}

/// The version label of a snapshot resolution: `v12, from the embedded snapshot of 2026-09-16`.
fn snapshot_label(version_id: &str, date: &str) -> String {
    format!("{version_id}, from the embedded snapshot of {date}")
}

/// Why a reference has no document when no `--policies DIR` was given.
fn unresolved_without_dir(arn: &str) -> String {
    if policy_guard_managed::is_aws_managed(arn) {
        format!(
            "{} is not in the embedded snapshot of AWS managed policies: pass --policies DIR",
            policy_guard::text::quoted(policy_name(arn))
        )
    } else {
        "only AWS managed policies are embedded: pass --policies DIR to resolve \
         customer-managed policy ARNs"
            .to_string()
    }
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
