//! A list whose items keep their ids: the labels and relation types of a project.
//!
//! An item's id never changes while it is in the list (moving, renaming and recolouring
//! keep it), comes back with it when a removal is undone, and is never given to another
//! item of the same list. Ids are assigned in list order when a list is built, so data
//! made for a new project refers to item `i` as id `i`.

/// Why a list change was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum IdError {
    /// An id the list does not hold (or one named twice).
    Unknown(u32),
    /// An id the list holds already.
    Taken(u32),
    /// A place past the end, or places not ascending.
    Place(usize),
}

/// Where an id no item has points in the id → place table.
const NONE: u32 = u32::MAX;

/// Items in display order, each with its id; an id → place table makes lookups O(1).
#[derive(Clone, Debug)]
pub(crate) struct IdList<T> {
    items: Vec<T>,
    ids: Vec<u32>,
    /// For each id value, the item's place (`NONE` for none).
    at: Vec<u32>,
    /// The id the next new item gets.
    next: u32,
}

/// Equal when the items and their ids are; the next free id is bookkeeping.
impl<T: PartialEq> PartialEq for IdList<T> {
    fn eq(&self, other: &Self) -> bool {
        self.items == other.items && self.ids == other.ids
    }
}

impl<T: Eq> Eq for IdList<T> {}

impl<T> Default for IdList<T> {
    fn default() -> Self {
        Self::new(Vec::new())
    }
}

impl<T> IdList<T> {
    /// The list of `items`, with ids 0, 1, … in order.
    pub fn new(items: Vec<T>) -> Self {
        let n = u32::try_from(items.len()).unwrap_or(NONE - 1);
        let mut list = Self {
            ids: (0..n).collect(),
            items,
            at: Vec::new(),
            next: n,
        };
        list.reindex();
        list
    }

    fn reindex(&mut self) {
        let len = self.ids.iter().map(|&i| i as usize + 1).max().unwrap_or(0);
        self.at.clear();
        self.at.resize(len, NONE);
        for (place, &id) in self.ids.iter().enumerate() {
            self.at[id as usize] = u32::try_from(place).unwrap_or(NONE);
        }
    }

    /// The items, in display order.
    pub fn items(&self) -> &[T] {
        &self.items
    }

    /// Their ids, in display order.
    pub fn ids(&self) -> &[u32] {
        &self.ids
    }

    /// How many items.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// The place of item `id`.
    pub fn position(&self, id: u32) -> Option<usize> {
        match self.at.get(id as usize) {
            Some(&p) if p != NONE => Some(p as usize),
            _ => None,
        }
    }

    /// Item `id`.
    pub fn get(&self, id: u32) -> Option<&T> {
        self.position(id).map(|p| &self.items[p])
    }

    /// `n` ids no item of this list has had: the ids of items about to be added.
    pub fn fresh_ids(&self, n: usize) -> Vec<u32> {
        (0..n)
            .map(|k| self.next.saturating_add(u32::try_from(k).unwrap_or(NONE)))
            .collect()
    }

    /// Inserts items with their ids, each at its place in the result (places ascending);
    /// ids must be new to the list. Returns the ids.
    pub fn insert(&mut self, items: Vec<(usize, u32, T)>) -> Result<Vec<u32>, IdError> {
        let mut total = self.items.len();
        let mut last = None;
        for (k, (at, id, _)) in items.iter().enumerate() {
            if *id == NONE {
                return Err(IdError::Unknown(*id));
            }
            if self.position(*id).is_some() || items[..k].iter().any(|(_, o, _)| o == id) {
                return Err(IdError::Taken(*id));
            }
            total += 1;
            if *at >= total || last.is_some_and(|l| *at <= l) {
                return Err(IdError::Place(*at));
            }
            last = Some(*at);
        }
        let ids = items.iter().map(|(_, id, _)| *id).collect();
        for (at, id, item) in items {
            self.items.insert(at, item);
            self.ids.insert(at, id);
            self.next = self.next.max(id.saturating_add(1));
        }
        self.reindex();
        Ok(ids)
    }

    /// Removes items by id; returns each with its place and id (places ascending), what
    /// [`Self::insert`] takes to put them back.
    pub fn remove(&mut self, ids: &[u32]) -> Result<Vec<(usize, u32, T)>, IdError> {
        let mut places = Vec::with_capacity(ids.len());
        for &id in ids {
            let at = self.position(id).ok_or(IdError::Unknown(id))?;
            if places.contains(&at) {
                return Err(IdError::Unknown(id));
            }
            places.push(at);
        }
        places.sort_unstable();
        let mut removed: Vec<(usize, u32, T)> = places
            .iter()
            .rev()
            .map(|&at| (at, self.ids.remove(at), self.items.remove(at)))
            .collect();
        removed.reverse();
        self.reindex();
        Ok(removed)
    }

    /// Moves item `id` to place `to`; returns the place it had.
    pub fn move_to(&mut self, id: u32, to: usize) -> Result<usize, IdError> {
        let from = self.position(id).ok_or(IdError::Unknown(id))?;
        if to >= self.items.len() {
            return Err(IdError::Place(to));
        }
        let item = self.items.remove(from);
        self.items.insert(to, item);
        let id = self.ids.remove(from);
        self.ids.insert(to, id);
        self.reindex();
        Ok(from)
    }

    /// Replaces item `id`; returns the old one.
    pub fn replace(&mut self, id: u32, item: T) -> Result<T, IdError> {
        let at = self.position(id).ok_or(IdError::Unknown(id))?;
        Ok(std::mem::replace(&mut self.items[at], item))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[derive(Clone, Debug)]
    enum Op {
        Insert(usize),
        Remove(usize),
        Move(usize, usize),
        Undo,
    }

    proptest! {
        /// Against a naive list of (id, item): the same order after any inserts,
        /// removals, moves and undos of removals; an id always finds its item; fresh ids
        /// were never used.
        #[test]
        fn ids_follow_their_items(ops in proptest::collection::vec(prop_oneof![
            (0usize..8).prop_map(Op::Insert),
            (0usize..8).prop_map(Op::Remove),
            (0usize..8, 0usize..8).prop_map(|(a, b)| Op::Move(a, b)),
            Just(Op::Undo),
        ], 0..40)) {
            let mut list = IdList::new(vec!['a', 'b', 'c']);
            let mut naive: Vec<(u32, char)> = vec![(0, 'a'), (1, 'b'), (2, 'c')];
            let mut used: Vec<u32> = vec![0, 1, 2];
            let mut undo: Vec<Vec<(usize, u32, char)>> = Vec::new();
            let mut item = 'd';
            for op in ops {
                match op {
                    Op::Insert(at) => {
                        let at = at.min(naive.len());
                        let id = list.fresh_ids(1)[0];
                        prop_assert!(!used.contains(&id), "id {} given twice", id);
                        used.push(id);
                        list.insert(vec![(at, id, item)]).unwrap();
                        naive.insert(at, (id, item));
                        item = char::from_u32(u32::from(item) + 1).unwrap_or('z');
                    }
                    Op::Remove(k) if !naive.is_empty() => {
                        let (id, _) = naive[k % naive.len()];
                        let back = list.remove(&[id]).unwrap();
                        naive.retain(|(i, _)| *i != id);
                        undo.push(back);
                    }
                    Op::Remove(_) => {}
                    Op::Move(k, to) if !naive.is_empty() => {
                        let (id, x) = naive[k % naive.len()];
                        let to = to % naive.len();
                        list.move_to(id, to).unwrap();
                        naive.retain(|(i, _)| *i != id);
                        naive.insert(to, (id, x));
                    }
                    Op::Move(..) => {}
                    Op::Undo => {
                        // Only the last removal can come back where it was.
                        if let Some(back) = undo.pop() {
                            if back.iter().all(|(at, ..)| *at <= naive.len()) {
                                for (at, id, x) in &back {
                                    naive.insert(*at, (*id, *x));
                                }
                                list.insert(back).unwrap();
                            }
                            undo.clear();
                        }
                    }
                }
                let got: Vec<(u32, char)> = list.ids().iter().copied().zip(list.items().iter().copied()).collect();
                prop_assert_eq!(&got, &naive);
                for (place, (id, x)) in naive.iter().enumerate() {
                    prop_assert_eq!(list.get(*id), Some(x));
                    prop_assert_eq!(list.position(*id), Some(place));
                }
            }
        }
    }

    #[test]
    fn refusals() {
        let mut list = IdList::new(vec![1, 2]);
        assert_eq!(list.insert(vec![(0, 1, 9)]), Err(IdError::Taken(1)));
        assert_eq!(list.insert(vec![(5, 7, 9)]), Err(IdError::Place(5)));
        assert_eq!(
            list.insert(vec![(1, 7, 9), (0, 8, 9)]),
            Err(IdError::Place(0))
        );
        assert_eq!(
            list.insert(vec![(0, 7, 9), (1, 7, 9)]),
            Err(IdError::Taken(7))
        );
        assert_eq!(list.remove(&[4]), Err(IdError::Unknown(4)));
        assert_eq!(list.remove(&[0, 0]), Err(IdError::Unknown(0)));
        assert_eq!(list.move_to(0, 2), Err(IdError::Place(2)));
        assert_eq!(list.items(), &[1, 2]);
    }
}
