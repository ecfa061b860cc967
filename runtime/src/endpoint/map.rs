//! [`Map`]: what rule sets name (parameters, records, endpoint properties and headers), by name.

use std::fmt;

/// Values by name, in name order, in a sorted vector. A rule set's maps have a few entries,
/// and a B-tree's insert, clone, comparison and drop are each kilobytes of generic code in
/// every client binary (a third of what endpoint resolution added to it); lookups here are a
/// binary search over those few names.
#[derive(Clone, PartialEq)]
pub struct Map<V>(Vec<(String, V)>);

impl<V> Map<V> {
    pub const fn new() -> Self {
        Map(Vec::new())
    }

    fn find(&self, name: &str) -> Result<usize, usize> {
        self.0.binary_search_by(|(k, _)| k.as_str().cmp(name))
    }

    pub fn get(&self, name: &str) -> Option<&V> {
        self.find(name).ok().map(|i| &self.0[i].1)
    }

    pub fn contains_key(&self, name: &str) -> bool {
        self.find(name).is_ok()
    }

    /// Sets `name` to `value`; the value it replaces, if any.
    pub fn insert(&mut self, name: impl Into<String> + AsRef<str>, value: V) -> Option<V> {
        match self.find(name.as_ref()) {
            Ok(i) => Some(std::mem::replace(&mut self.0[i].1, value)),
            Err(i) => {
                self.0.insert(i, (name.into(), value));
                None
            }
        }
    }

    pub fn remove(&mut self, name: &str) -> Option<V> {
        self.find(name).ok().map(|i| self.0.remove(i).1)
    }

    /// Names and values, in name order.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = (&str, &V)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }

    pub fn len(&self) -> usize {
        self.0.len()
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// The value of a name the map holds; panics on any other, as a `BTreeMap` does.
impl<V> std::ops::Index<&str> for Map<V> {
    type Output = V;
    fn index(&self, name: &str) -> &V {
        match self.get(name) {
            Some(v) => v,
            None => panic!("no entry {name:?}"),
        }
    }
}

impl<V> Default for Map<V> {
    fn default() -> Self {
        Map::new()
    }
}

impl<V: fmt::Debug> fmt::Debug for Map<V> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_map().entries(self.iter()).finish()
    }
}

/// A later pair replaces an earlier one of the same name, as in a `BTreeMap`.
impl<K: Into<String> + AsRef<str>, V> FromIterator<(K, V)> for Map<V> {
    fn from_iter<I: IntoIterator<Item = (K, V)>>(pairs: I) -> Self {
        let mut map = Map::new();
        for (k, v) in pairs {
            map.insert(k, v);
        }
        map
    }
}

impl<K: Into<String> + AsRef<str>, V, const N: usize> From<[(K, V); N]> for Map<V> {
    fn from(pairs: [(K, V); N]) -> Self {
        pairs.into_iter().collect()
    }
}

#[cfg(test)]
mod tests {
    use super::Map;

    #[test]
    fn names_in_order_and_the_last_value_kept() {
        let mut m = Map::from([("b", 1), ("a", 2), ("c", 3), ("a", 4)]);
        assert_eq!(
            m.iter().collect::<Vec<_>>(),
            [("a", &4), ("b", &1), ("c", &3)]
        );
        assert_eq!(m.insert("b", 5), Some(1));
        assert_eq!(m.insert("0".to_owned(), 6), None);
        assert_eq!(
            (m.get("b"), m.get("z"), m.contains_key("0")),
            (Some(&5), None, true)
        );
        assert_eq!(m.remove("a"), Some(4));
        assert_eq!(m.len(), 3);
        assert_eq!(format!("{m:?}"), r#"{"0": 6, "b": 5, "c": 3}"#);
        // Equal whatever the order of insertion.
        assert_eq!(
            Map::from([("x", 1), ("y", 2)]),
            Map::from([("y", 2), ("x", 1)])
        );
    }
}
