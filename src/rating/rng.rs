//! A tiny deterministic PRNG: SplitMix64 (Steele, Lea and Flood 2014). Sessions save seeds and
//! replay shuffles from them, so the sequence for a given seed must never change: the tests
//! below pin it.

/// SplitMix64: 64 bits of state, one output per step. Not cryptographic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rng {
    state: u64,
}

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng { state: seed }
    }

    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n`, without modulo bias (Lemire's multiply-and-reject).
    ///
    /// # Panics
    /// If `n` is 0 (an empty range).
    pub fn below(&mut self, n: u64) -> u64 {
        assert!(n > 0, "Rng::below(0): empty range");
        let mut m = u128::from(self.next_u64()) * u128::from(n);
        if (m as u64) < n {
            let threshold = n.wrapping_neg() % n;
            while (m as u64) < threshold {
                m = u128::from(self.next_u64()) * u128::from(n);
            }
        }
        (m >> 64) as u64
    }

    /// Uniform in [0, 1), with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Fisher-Yates shuffle, from the last element down.
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Rng;

    #[test]
    fn rng_outputs_are_pinned() {
        let mut r = Rng::new(0);
        let first: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        assert_eq!(
            first,
            [
                0xE220_A839_7B1D_CDAF,
                0x6E78_9E6A_A1B9_65F4,
                0x06C4_5D18_8009_454F
            ]
        );
        let mut r = Rng::new(42);
        let first: Vec<u64> = (0..3).map(|_| r.next_u64()).collect();
        assert_eq!(first, PINNED_42);
        let mut r = Rng::new(42);
        let below: Vec<u64> = (0..8).map(|_| r.below(10)).collect();
        assert_eq!(below, PINNED_BELOW_42);
        let mut r = Rng::new(0);
        assert_eq!(
            r.unit(),
            (0xE220_A839_7B1D_CDAFu64 >> 11) as f64 / 9_007_199_254_740_992.0
        );
        let mut r = Rng::new(42);
        let mut v: Vec<u32> = (0..10).collect();
        r.shuffle(&mut v);
        assert_eq!(v, PINNED_SHUFFLE_42);
    }

    const PINNED_42: [u64; 3] = [
        0xBDD7_3226_2FEB_6E95,
        0x28EF_E333_B266_F103,
        0x4752_6757_130F_9F52,
    ];
    const PINNED_BELOW_42: [u64; 8] = [7, 1, 2, 3, 0, 8, 2, 8];
    const PINNED_SHUFFLE_42: [u32; 10] = [8, 3, 6, 5, 4, 0, 9, 2, 1, 7];

    #[test]
    fn rng_below_stays_in_range() {
        let mut r = Rng::new(7);
        for n in [1u64, 2, 3, 7, 10, 1000, u64::MAX / 3 + 1, u64::MAX] {
            for _ in 0..1000 {
                assert!(r.below(n) < n);
            }
        }
        let mut hits = [0u32; 6];
        for _ in 0..60_000 {
            hits[r.below(6) as usize] += 1;
        }
        assert!(
            hits.iter().all(|&h| (9_000..11_000).contains(&h)),
            "{hits:?}"
        );
        for _ in 0..10_000 {
            let u = r.unit();
            assert!((0.0..1.0).contains(&u));
        }
    }

    #[test]
    fn rng_shuffle_is_a_permutation() {
        let mut r = Rng::new(3);
        for len in [0usize, 1, 2, 5, 100] {
            let mut v: Vec<usize> = (0..len).collect();
            r.shuffle(&mut v);
            let mut sorted = v.clone();
            sorted.sort_unstable();
            assert_eq!(sorted, (0..len).collect::<Vec<_>>());
        }
        // Every order of three shows up.
        let mut seen = std::collections::HashSet::new();
        for _ in 0..200 {
            let mut v = [0, 1, 2];
            r.shuffle(&mut v);
            seen.insert(v);
        }
        assert_eq!(seen.len(), 6);
    }
}
