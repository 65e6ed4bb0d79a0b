//! [`ActionSet`]: a bitset over every [`ActionId`] in the catalog, stored as the window of
//! words between its lowest and highest member.

use std::fmt;
use std::hash::{Hash, Hasher};

use super::{catalog, data::ACTION_COUNT, ActionId};

const WORDS: usize = ACTION_COUNT.div_ceil(64);
/// Bits of the last word that name real actions (all ones when the count is a multiple of 64).
const LAST_MASK: u64 = match ACTION_COUNT % 64 {
    0 => u64::MAX,
    n => (1u64 << n) - 1,
};

/// A set of catalog actions, one bit per [`ActionId`]. Only the words from the first to the
/// last one a member has ever been in are stored (`words[i]` is word `offset + i`; the others
/// are zero): a statement's actions are usually a few services, contiguous in the catalog, so
/// its set is a few words rather than the 2.5 KB the whole catalog takes, and an empty set
/// allocates nothing. Set algebra runs over the overlap of two windows.
#[derive(Clone, Default)]
pub struct ActionSet {
    offset: usize,
    words: Vec<u64>,
}

impl ActionSet {
    /// The empty set.
    pub fn new_empty() -> Self {
        Self::default()
    }

    /// Every action in the catalog.
    pub fn full() -> Self {
        let mut set = Self::default();
        set.insert_all();
        set
    }

    /// Adds every action in the catalog.
    pub fn insert_all(&mut self) {
        self.offset = 0;
        self.words.clear();
        self.words.resize(WORDS, u64::MAX);
        self.mask_tail();
    }

    fn mask_tail(&mut self) {
        if self.offset + self.words.len() == WORDS {
            if let Some(last) = self.words.last_mut() {
                *last &= LAST_MASK;
            }
        }
    }

    /// Word `index` of the whole bitset.
    fn word(&self, index: usize) -> u64 {
        index
            .checked_sub(self.offset)
            .and_then(|i| self.words.get(i))
            .copied()
            .unwrap_or(0)
    }

    /// Grows the window to hold words `first..=last` (both below [`WORDS`]).
    fn cover(&mut self, first: usize, last: usize) {
        if self.words.is_empty() {
            self.offset = first;
            self.words.resize(last - first + 1, 0);
            return;
        }
        if first < self.offset {
            let grow = self.offset - first;
            self.words.splice(0..0, std::iter::repeat_n(0, grow));
            self.offset = first;
        }
        let end = self.offset + self.words.len();
        if last >= end {
            self.words.resize(last + 1 - self.offset, 0);
        }
    }

    /// The word indexes both windows hold.
    fn overlap(&self, other: &ActionSet) -> std::ops::Range<usize> {
        let start = self.offset.max(other.offset);
        let end = (self.offset + self.words.len()).min(other.offset + other.words.len());
        start..end.max(start)
    }

    /// Adds `id`; returns whether it was newly inserted. Ids outside the catalog are ignored.
    pub fn insert(&mut self, id: ActionId) -> bool {
        let bit = id as usize;
        if bit >= ACTION_COUNT {
            return false;
        }
        self.cover(bit / 64, bit / 64);
        match self.words.get_mut((bit / 64).wrapping_sub(self.offset)) {
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
        let word = (bit / 64)
            .checked_sub(self.offset)
            .and_then(|i| self.words.get_mut(i));
        match word {
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
        if bit >= end {
            return;
        }
        self.cover(bit / 64, (end - 1) / 64);
        while bit < end {
            let in_word = bit % 64;
            let take = (64 - in_word).min(end - bit);
            let mask = if take == 64 {
                u64::MAX
            } else {
                ((1u64 << take) - 1) << in_word
            };
            if let Some(word) = self.words.get_mut((bit / 64).wrapping_sub(self.offset)) {
                *word |= mask;
            }
            bit += take;
        }
    }

    pub fn contains(&self, id: ActionId) -> bool {
        let bit = id as usize;
        self.word(bit / 64) & (1u64 << (bit % 64)) != 0
    }

    /// `self |= other`.
    pub fn union_with(&mut self, other: &ActionSet) {
        let Some((first, last)) = other.occupied() else {
            return;
        };
        self.cover(first, last);
        for index in first..=last {
            let theirs = other.word(index);
            if let Some(word) = self.words.get_mut(index.wrapping_sub(self.offset)) {
                *word |= theirs;
            }
        }
    }

    /// `self -= other`.
    pub fn subtract(&mut self, other: &ActionSet) {
        for index in self.overlap(other) {
            let theirs = other.word(index);
            if let Some(word) = self.words.get_mut(index.wrapping_sub(self.offset)) {
                *word &= !theirs;
            }
        }
    }

    /// `self &= other`.
    pub fn intersect_with(&mut self, other: &ActionSet) {
        let offset = self.offset;
        for (i, word) in self.words.iter_mut().enumerate() {
            *word &= other.word(offset + i);
        }
    }

    /// Whether the two sets share an action.
    pub fn intersects(&self, other: &ActionSet) -> bool {
        self.overlap(other)
            .any(|index| self.word(index) & other.word(index) != 0)
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
        let offset = other.offset;
        other
            .words
            .iter()
            .enumerate()
            .all(|(i, theirs)| theirs & !self.word(offset + i) == 0)
    }

    /// Whether every action of `self` is in `other`.
    pub fn is_subset_of(&self, other: &ActionSet) -> bool {
        other.is_superset_of(self)
    }

    /// Every catalog action not in `self`.
    pub fn complement(&self) -> ActionSet {
        let mut out = ActionSet {
            offset: 0,
            words: (0..WORDS).map(|index| !self.word(index)).collect(),
        };
        out.mask_tail();
        out
    }

    /// The first and last word indexes holding a member.
    fn occupied(&self) -> Option<(usize, usize)> {
        let first = self.words.iter().position(|w| *w != 0)?;
        let last = self.words.iter().rposition(|w| *w != 0)?;
        Some((self.offset + first, self.offset + last))
    }

    /// The ids in ascending order.
    pub fn iter(&self) -> Iter<'_> {
        Iter {
            words: &self.words,
            offset: self.offset,
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

/// Equal members, whatever the windows.
impl PartialEq for ActionSet {
    fn eq(&self, other: &ActionSet) -> bool {
        self.is_superset_of(other) && other.is_superset_of(self)
    }
}

impl Eq for ActionSet {}

/// Hashes the members (the occupied words and where they start), not the window.
impl Hash for ActionSet {
    fn hash<H: Hasher>(&self, state: &mut H) {
        match self.occupied() {
            Some((first, last)) => {
                first.hash(state);
                for index in first..=last {
                    self.word(index).hash(state);
                }
            }
            None => usize::MAX.hash(state),
        }
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
    offset: usize,
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
                return ActionId::try_from((self.offset + self.index) * 64 + bit).ok();
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

    /// What a set is: a set of ids. Every operation, on sets whose windows start and end
    /// anywhere, agrees with the same operation on a `BTreeSet`.
    fn reference(set: &ActionSet) -> std::collections::BTreeSet<ActionId> {
        set.iter().collect()
    }

    fn ids() -> impl proptest::strategy::Strategy<Value = Vec<ActionId>> {
        use proptest::prelude::*;
        let last = ACTION_COUNT as ActionId - 1;
        proptest::collection::vec(
            prop_oneof![0..=last, 0..200u32, (last - 200)..=last, 9_000..9_300u32],
            0..40,
        )
    }

    proptest::proptest! {
        #[test]
        fn windowed_sets_behave_as_sets(a in ids(), b in ids(), removed in ids(), range in (0u32..21_000, 0u32..400)) {
            use std::collections::BTreeSet;
            let (mut x, y): (ActionSet, ActionSet) = (a.iter().copied().collect(), b.iter().copied().collect());
            let (mut rx, ry): (BTreeSet<ActionId>, BTreeSet<ActionId>) = (a.iter().copied().collect(), b.iter().copied().collect());
            proptest::prop_assert_eq!(reference(&x), rx.clone());
            for id in &removed {
                proptest::prop_assert_eq!(x.remove(*id), rx.remove(id));
            }
            let (start, width) = range;
            x.insert_range(start, start + width);
            rx.extend((start..start + width).filter(|id| (*id as usize) < ACTION_COUNT));
            proptest::prop_assert_eq!(reference(&x), rx.clone());
            proptest::prop_assert_eq!(x.len(), rx.len());
            proptest::prop_assert_eq!(x.is_empty(), rx.is_empty());
            proptest::prop_assert_eq!(x.intersects(&y), !rx.is_disjoint(&ry));
            proptest::prop_assert_eq!(x.is_superset_of(&y), rx.is_superset(&ry));
            proptest::prop_assert_eq!(x.is_subset_of(&y), rx.is_subset(&ry));
            proptest::prop_assert_eq!(x == y, rx == ry);
            for id in a.iter().chain(&b) {
                proptest::prop_assert_eq!(x.contains(*id), rx.contains(id));
            }
            let mut union = x.clone();
            union.union_with(&y);
            proptest::prop_assert_eq!(reference(&union), rx.union(&ry).copied().collect::<BTreeSet<_>>());
            let mut difference = x.clone();
            difference.subtract(&y);
            proptest::prop_assert_eq!(reference(&difference), rx.difference(&ry).copied().collect::<BTreeSet<_>>());
            let mut intersection = x.clone();
            intersection.intersect_with(&y);
            proptest::prop_assert_eq!(reference(&intersection), rx.intersection(&ry).copied().collect::<BTreeSet<_>>());
            let complement = x.complement();
            proptest::prop_assert_eq!(complement.len(), ACTION_COUNT - rx.len());
            proptest::prop_assert!(rx.iter().all(|id| !complement.contains(*id)));
            proptest::prop_assert_eq!(complement.complement(), x.clone());
            // Equal sets hash alike, whatever their windows.
            let mut shrunk = union.clone();
            shrunk.subtract(&y);
            let rebuilt: ActionSet = reference(&shrunk).into_iter().collect();
            proptest::prop_assert_eq!(&shrunk, &rebuilt);
            let hash = |set: &ActionSet| {
                use std::hash::{BuildHasher, BuildHasherDefault};
                BuildHasherDefault::<std::collections::hash_map::DefaultHasher>::default().hash_one(set)
            };
            proptest::prop_assert_eq!(hash(&shrunk), hash(&rebuilt));
        }
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
