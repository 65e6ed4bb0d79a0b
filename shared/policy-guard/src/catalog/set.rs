//! [`ActionSet`]: a fixed-size bitset over every [`ActionId`] in the catalog.

use std::fmt;

use super::{catalog, data::ACTION_COUNT, ActionId};

const WORDS: usize = ACTION_COUNT.div_ceil(64);
/// Bits of the last word that name real actions (all ones when the count is a multiple of 64).
const LAST_MASK: u64 = match ACTION_COUNT % 64 {
    0 => u64::MAX,
    n => (1u64 << n) - 1,
};

/// A set of catalog actions, one bit per [`ActionId`]. Every set has the same size
/// (about 2.5 KB), so set algebra is a handful of word operations.
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct ActionSet {
    words: Box<[u64]>,
}

impl Default for ActionSet {
    fn default() -> Self {
        Self::new_empty()
    }
}

impl ActionSet {
    /// The empty set.
    pub fn new_empty() -> Self {
        Self {
            words: vec![0u64; WORDS].into_boxed_slice(),
        }
    }

    /// Every action in the catalog.
    pub fn full() -> Self {
        let mut set = Self {
            words: vec![u64::MAX; WORDS].into_boxed_slice(),
        };
        set.mask_tail();
        set
    }

    /// Adds every action in the catalog.
    pub fn insert_all(&mut self) {
        self.words.fill(u64::MAX);
        self.mask_tail();
    }

    fn mask_tail(&mut self) {
        if let Some(last) = self.words.last_mut() {
            *last &= LAST_MASK;
        }
    }

    /// Adds `id`; returns whether it was newly inserted. Ids outside the catalog are ignored.
    pub fn insert(&mut self, id: ActionId) -> bool {
        let bit = id as usize;
        if bit >= ACTION_COUNT {
            return false;
        }
        match self.words.get_mut(bit / 64) {
            Some(word) => {
                let mask = 1u64 << (bit % 64);
                let fresh = *word & mask == 0;
                *word |= mask;
                fresh
            }
            None => false,
        }
    }

    /// Removes `id`; returns whether it was present.
    pub fn remove(&mut self, id: ActionId) -> bool {
        let bit = id as usize;
        match self.words.get_mut(bit / 64) {
            Some(word) => {
                let mask = 1u64 << (bit % 64);
                let present = *word & mask != 0;
                *word &= !mask;
                present
            }
            None => false,
        }
    }

    /// Adds every id in `start..end` (clamped to the catalog).
    pub fn insert_range(&mut self, start: ActionId, end: ActionId) {
        let end = (end as usize).min(ACTION_COUNT);
        let mut bit = start as usize;
        while bit < end {
            let in_word = bit % 64;
            let take = (64 - in_word).min(end - bit);
            let mask = if take == 64 {
                u64::MAX
            } else {
                ((1u64 << take) - 1) << in_word
            };
            if let Some(word) = self.words.get_mut(bit / 64) {
                *word |= mask;
            }
            bit += take;
        }
    }

    pub fn contains(&self, id: ActionId) -> bool {
        let bit = id as usize;
        self.words
            .get(bit / 64)
            .is_some_and(|w| w & (1u64 << (bit % 64)) != 0)
    }

    /// `self |= other`.
    pub fn union_with(&mut self, other: &ActionSet) {
        for (a, b) in self.words.iter_mut().zip(other.words.iter()) {
            *a |= b;
        }
    }

    /// `self -= other`.
    pub fn subtract(&mut self, other: &ActionSet) {
        for (a, b) in self.words.iter_mut().zip(other.words.iter()) {
            *a &= !b;
        }
    }

    /// `self &= other`.
    pub fn intersect_with(&mut self, other: &ActionSet) {
        for (a, b) in self.words.iter_mut().zip(other.words.iter()) {
            *a &= b;
        }
    }

    /// Whether the two sets share an action.
    pub fn intersects(&self, other: &ActionSet) -> bool {
        self.words
            .iter()
            .zip(other.words.iter())
            .any(|(a, b)| a & b != 0)
    }

    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }

    /// Number of actions in the set.
    pub fn len(&self) -> usize {
        self.words.iter().map(|w| w.count_ones() as usize).sum()
    }

    /// Whether every action of `other` is in `self`.
    pub fn is_superset_of(&self, other: &ActionSet) -> bool {
        self.words
            .iter()
            .zip(other.words.iter())
            .all(|(a, b)| b & !a == 0)
    }

    /// Whether every action of `self` is in `other`.
    pub fn is_subset_of(&self, other: &ActionSet) -> bool {
        other.is_superset_of(self)
    }

    /// Every catalog action not in `self`.
    pub fn complement(&self) -> ActionSet {
        let mut out = ActionSet {
            words: self.words.iter().map(|w| !w).collect(),
        };
        out.mask_tail();
        out
    }

    /// The ids in ascending order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            words: &self.words,
            index: 0,
            current: self.words.first().copied().unwrap_or(0),
        }
    }

    /// The qualified names ("s3:GetObject") in id order.
    pub fn names(&self) -> impl Iterator<Item = String> + '_ {
        let cat = catalog();
        self.iter()
            .filter_map(move |id| cat.action(id).map(|a| a.qualified()))
    }
}

impl fmt::Debug for ActionSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const SHOWN: usize = 16;
        let len = self.len();
        let mut list = f.debug_list();
        for name in self.names().take(SHOWN) {
            list.entry(&name);
        }
        if len > SHOWN {
            list.entry(&format_args!("... {} more", len - SHOWN));
        }
        list.finish()
    }
}

impl FromIterator<ActionId> for ActionSet {
    fn from_iter<I: IntoIterator<Item = ActionId>>(iter: I) -> Self {
        let mut set = ActionSet::new_empty();
        set.extend(iter);
        set
    }
}

impl Extend<ActionId> for ActionSet {
    fn extend<I: IntoIterator<Item = ActionId>>(&mut self, iter: I) {
        for id in iter {
            self.insert(id);
        }
    }
}

impl<'a> IntoIterator for &'a ActionSet {
    type Item = ActionId;
    type IntoIter = Iter<'a>;
    fn into_iter(self) -> Iter<'a> {
        self.iter()
    }
}

/// Ascending iterator over an [`ActionSet`].
#[derive(Debug, Clone)]
pub struct Iter<'a> {
    words: &'a [u64],
    index: usize,
    current: u64,
}

impl Iterator for Iter<'_> {
    type Item = ActionId;

    fn next(&mut self) -> Option<ActionId> {
        loop {
            if self.current != 0 {
                let bit = self.current.trailing_zeros() as usize;
                self.current &= self.current - 1;
                return ActionId::try_from(self.index * 64 + bit).ok();
            }
            self.index += 1;
            self.current = *self.words.get(self.index)?;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn algebra() {
        let mut a = ActionSet::new_empty();
        assert!(a.is_empty());
        assert!(a.insert(3));
        assert!(!a.insert(3));
        a.insert(64);
        a.insert(ACTION_COUNT as ActionId - 1);
        assert!(!a.insert(ACTION_COUNT as ActionId));
        assert_eq!(a.len(), 3);
        assert_eq!(
            a.iter().collect::<Vec<_>>(),
            vec![3, 64, ACTION_COUNT as ActionId - 1]
        );
        let full = ActionSet::full();
        assert_eq!(full.len(), ACTION_COUNT);
        assert!(full.is_superset_of(&a));
        assert!(!a.is_superset_of(&full));
        let c = a.complement();
        assert_eq!(c.len(), ACTION_COUNT - 3);
        assert!(!c.contains(64));
        let mut u = c.clone();
        u.union_with(&a);
        assert_eq!(u, full);
        let mut i = full.clone();
        i.intersect_with(&a);
        assert_eq!(i, a);
        let mut s = full.clone();
        s.subtract(&a);
        assert_eq!(s, c);
        assert_eq!(ActionSet::full().complement(), ActionSet::new_empty());
        assert!(a.remove(3));
        assert!(!a.contains(3));
    }

    #[test]
    fn ranges() {
        for (start, end) in [(0, 0), (0, 1), (5, 64), (63, 65), (0, 200), (100, 20_000)] {
            let mut a = ActionSet::new_empty();
            a.insert_range(start, end);
            let b: ActionSet = (start..end).collect();
            assert_eq!(a, b, "{start}..{end}");
        }
        let mut a = ActionSet::new_empty();
        a.insert_range(0, u32::MAX);
        assert_eq!(a, ActionSet::full());
    }
}
