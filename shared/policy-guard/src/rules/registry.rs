//! The rule list, collected from the families: nothing here is edited by hand.

use super::{actions, breadth, conditions, exposure, grants, validity, Rule};

/// The families in listing order.
const FAMILIES: &[&[&dyn Rule]] = &[
    grants::RULES,
    breadth::RULES,
    actions::RULES,
    exposure::RULES,
    conditions::RULES,
    validity::RULES,
];

const COUNT: usize = count(FAMILIES);

static ALL: [&dyn Rule; COUNT] = concat(FAMILIES);

/// Every rule, once. Order is the order of listings: the families' order, then each family's.
pub static RULES: &[&dyn Rule] = &ALL;

/// The rule with this id.
pub fn rule_by_id(id: &str) -> Option<&'static dyn Rule> {
    RULES.iter().copied().find(|r| r.meta().id == id)
}

/// How many rules the families hold together.
const fn count(families: &[&[&dyn Rule]]) -> usize {
    let mut total = 0;
    let mut rest = families;
    while let Some((family, tail)) = rest.split_first() {
        total += family.len();
        rest = tail;
    }
    total
}

/// The families' rules in one array, in order (evaluated at compile time).
const fn concat<const N: usize>(families: &[&[&'static dyn Rule]]) -> [&'static dyn Rule; N] {
    let mut out: [&'static dyn Rule; N] = [&super::MalformedEvent; N];
    let mut slots: &mut [&'static dyn Rule] = &mut out;
    let mut rest = families;
    while let Some((family, tail)) = rest.split_first() {
        let mut rules = *family;
        while let Some((rule, more)) = rules.split_first() {
            let taken = slots;
            slots = match taken.split_first_mut() {
                Some((slot, free)) => {
                    *slot = *rule;
                    free
                }
                None => &mut [],
            };
            rules = more;
        }
        rest = tail;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_family_rule_is_listed_once() {
        let mut ids: Vec<&str> = RULES.iter().map(|r| r.meta().id).collect();
        assert_eq!(ids.len(), count(FAMILIES));
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), RULES.len());
    }
}
