//! A small deterministic generator (SplitMix64): the same seed gives the same region on every
//! platform and every version of juesuan, which a crate from the registry does not promise.

pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x6a75_6573_7561_6e00)
    }

    /// A generator for a sub-task, independent of how many draws the parent made.
    pub fn fork(&self, salt: u64) -> Rng {
        let mut r = Rng(self.0 ^ salt.wrapping_mul(0x9e37_79b9_7f4a_7c15));
        r.next_u64();
        r
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// Uniform in lo..=hi.
    pub fn range(&mut self, lo: i64, hi: i64) -> i64 {
        if hi <= lo {
            return lo;
        }
        lo + (self.next_u64() % (hi - lo + 1) as u64) as i64
    }

    pub fn chance(&mut self, percent: i64) -> bool {
        self.range(0, 99) < percent
    }

    pub fn index(&mut self, len: usize) -> usize {
        self.range(0, len.max(1) as i64 - 1) as usize
    }

    /// An amount in 分, log-uniform between 10^lo and 10^(hi+1) 元: budgets are skewed, a few
    /// large lines and many small ones.
    pub fn amount(&mut self, lo: u32, hi: u32) -> i64 {
        let e = self.range(lo as i64, hi as i64) as u32;
        let mantissa = self.range(100, 999);
        mantissa * 10i64.pow(e) + self.range(0, 99)
    }

    /// `total` split into `n` non-negative parts with random weights; the parts add up to it.
    pub fn split(&mut self, total: i64, n: usize) -> Vec<i64> {
        if n == 0 {
            return Vec::new();
        }
        let weights: Vec<i64> = (0..n).map(|_| self.range(1, 100)).collect();
        let sum: i64 = weights.iter().sum();
        let mut parts: Vec<i64> = weights
            .iter()
            .map(|w| (total as i128 * *w as i128 / sum as i128) as i64)
            .collect();
        let rest = total - parts.iter().sum::<i64>();
        parts[0] += rest;
        parts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_adds_up_and_is_deterministic() {
        let mut a = Rng::new(7);
        let mut b = Rng::new(7);
        for _ in 0..1000 {
            let total = a.amount(2, 7);
            let n = a.index(9) + 1;
            let parts = a.split(total, n);
            assert_eq!(parts.iter().sum::<i64>(), total);
            assert!(parts.iter().all(|p| *p >= 0));
            assert_eq!(b.amount(2, 7), total);
            b.index(9);
            assert_eq!(b.split(total, n), parts);
        }
    }
}
