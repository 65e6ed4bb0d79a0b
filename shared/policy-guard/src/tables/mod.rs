//! Fixed tables of AWS knowledge that the rules use and that analysis of more than one document
//! (a principal's policies together) can use as well: sensitive actions, escalation paths,
//! condition keys. Tables only, no judging: the rules that turn them into findings are in
//! [`crate::rules`].

pub mod escalation;
pub mod keys;
pub mod sensitive;

use crate::catalog::{catalog, ActionId};
use std::sync::OnceLock;

/// A fixed list of action names (most telling first: findings name them in this order) and,
/// resolved against the catalog once per process, their ids.
pub struct ActionList {
    names: &'static [&'static str],
    ids: OnceLock<Vec<ActionId>>,
}

impl ActionList {
    pub const fn new(names: &'static [&'static str]) -> Self {
        Self {
            names,
            ids: OnceLock::new(),
        }
    }

    pub fn ids(&self) -> &[ActionId] {
        self.ids.get_or_init(|| {
            self.names
                .iter()
                .filter_map(|n| catalog().lookup(n))
                .collect()
        })
    }
}

#[cfg(test)]
mod tests {
    use super::escalation::{ESCALATION_PATHS, NOT_IN_CATALOG_YET};
    use super::sensitive::{CREDENTIALS_EXPOSURE, DATA_EXFILTRATION, RESOURCE_EXPOSURE};
    use crate::catalog::catalog;

    #[test]
    fn every_listed_action_exists_in_the_catalog() {
        let mut lists: Vec<&str> = [
            DATA_EXFILTRATION.names,
            CREDENTIALS_EXPOSURE.names,
            RESOURCE_EXPOSURE.names,
        ]
        .concat();
        for path in ESCALATION_PATHS {
            lists.extend_from_slice(path.requires);
        }
        let missing: Vec<&str> = lists
            .into_iter()
            .filter(|a| catalog().lookup(a).is_none())
            .collect();
        let mut expected = NOT_IN_CATALOG_YET.to_vec();
        expected.sort_unstable();
        let mut missing = missing;
        missing.sort_unstable();
        missing.dedup();
        assert_eq!(
            missing, expected,
            "not in the catalog (update NOT_IN_CATALOG_YET)"
        );
    }
}
