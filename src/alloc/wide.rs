//! A fixed-width unsigned integer of 384 bits for the exact decimal split: a share's
//! numerator `total × weight` (weights brought to one scale) and the sum of the weights, whose
//! quotient and remainder decide the cents exactly. Only the operations the split needs, each
//! checked: `None` on overflow.

use std::cmp::Ordering;

/// Limbs of 64 bits, least significant first.
const LIMBS: usize = 6;

/// An unsigned integer below 2³⁸⁴.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Wide([u64; LIMBS]);

impl Wide {
    pub(super) const ZERO: Wide = Wide([0; LIMBS]);

    pub(super) fn from_u128(v: u128) -> Wide {
        let mut w = [0; LIMBS];
        w[0] = v as u64;
        w[1] = (v >> 64) as u64;
        Wide(w)
    }

    /// The value, when it fits 128 bits.
    pub(super) fn to_u128(self) -> Option<u128> {
        if self.0[2..].iter().any(|&l| l != 0) {
            return None;
        }
        Some(u128::from(self.0[0]) | (u128::from(self.0[1]) << 64))
    }

    /// `self × m`.
    pub(super) fn mul_small(self, m: u64) -> Option<Wide> {
        let mut out = [0; LIMBS];
        let mut carry: u128 = 0;
        for (o, &l) in out.iter_mut().zip(&self.0) {
            let p = u128::from(l) * u128::from(m) + carry;
            *o = p as u64;
            carry = p >> 64;
        }
        (carry == 0).then_some(Wide(out))
    }

    /// `self × m`.
    pub(super) fn mul_u128(self, m: u128) -> Option<Wide> {
        let low = self.mul_small(m as u64)?;
        let high = self.mul_small((m >> 64) as u64)?.shl_limb()?;
        low.add(high)
    }

    /// `self × 2⁶⁴`.
    fn shl_limb(self) -> Option<Wide> {
        if self.0[LIMBS - 1] != 0 {
            return None;
        }
        let mut out = [0; LIMBS];
        out[1..].copy_from_slice(&self.0[..LIMBS - 1]);
        Some(Wide(out))
    }

    /// `self + o`.
    pub(super) fn add(self, o: Wide) -> Option<Wide> {
        let mut out = [0; LIMBS];
        let mut carry = false;
        for (k, r) in out.iter_mut().enumerate() {
            let (s, c1) = self.0[k].overflowing_add(o.0[k]);
            let (s, c2) = s.overflowing_add(u64::from(carry));
            *r = s;
            carry = c1 || c2;
        }
        (!carry).then_some(Wide(out))
    }

    /// `self − o`, for `o ≤ self`.
    fn sub(self, o: Wide) -> Wide {
        let mut out = [0; LIMBS];
        let mut borrow = false;
        for (k, r) in out.iter_mut().enumerate() {
            let (d, b1) = self.0[k].overflowing_sub(o.0[k]);
            let (d, b2) = d.overflowing_sub(u64::from(borrow));
            *r = d;
            borrow = b1 || b2;
        }
        Wide(out)
    }

    /// The number of significant bits.
    fn bits(self) -> u32 {
        (0..LIMBS)
            .rev()
            .find(|&k| self.0[k] != 0)
            .map_or(0, |k| 64 * k as u32 + (64 - self.0[k].leading_zeros()))
    }

    fn bit(self, i: u32) -> bool {
        self.0[(i / 64) as usize] >> (i % 64) & 1 == 1
    }

    /// `2 × self + bit`, the caller knowing it fits (it is below a divisor).
    fn shl1_or(self, bit: bool) -> Wide {
        let mut out = [0; LIMBS];
        let mut carry = u64::from(bit);
        for (r, &l) in out.iter_mut().zip(&self.0) {
            *r = (l << 1) | carry;
            carry = l >> 63;
        }
        Wide(out)
    }

    /// Quotient and remainder of `self / d`, by binary long division; `None` for `d = 0`.
    pub(super) fn div_rem(self, d: Wide) -> Option<(Wide, Wide)> {
        if d == Wide::ZERO {
            return None;
        }
        // The remainder stays below d, so doubling it fits unless d uses all 384 bits (the
        // split's divisors use far fewer).
        if d.bits() >= 64 * LIMBS as u32 {
            return None;
        }
        let (mut q, mut r) = (Wide::ZERO, Wide::ZERO);
        for i in (0..self.bits()).rev() {
            r = r.shl1_or(self.bit(i));
            if r >= d {
                r = r.sub(d);
                q.0[(i / 64) as usize] |= 1 << (i % 64);
            }
        }
        Some((q, r))
    }
}

impl Ord for Wide {
    fn cmp(&self, o: &Wide) -> Ordering {
        self.0.iter().rev().cmp(o.0.iter().rev())
    }
}

impl PartialOrd for Wide {
    fn partial_cmp(&self, o: &Wide) -> Option<Ordering> {
        Some(self.cmp(o))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// Products, sums and divisions of values within 128 bits are u128's.
        #[test]
        fn small_values_are_u128s(a in any::<u64>(), b in any::<u64>(), d in 1u128..) {
            let p = Wide::from_u128(u128::from(a)).mul_u128(u128::from(b)).unwrap();
            prop_assert_eq!(p.to_u128(), Some(u128::from(a) * u128::from(b)));
            let n = u128::from(a) * u128::from(b);
            let (q, r) = Wide::from_u128(n).div_rem(Wide::from_u128(d)).unwrap();
            prop_assert_eq!((q.to_u128(), r.to_u128()), (Some(n / d), Some(n % d)));
        }

        /// (a × b) / b = a with no remainder, and (a × b + c) / b = a rem c, beyond 128 bits.
        #[test]
        fn wide_division_inverts_products(a in any::<u128>(), b in 1u128.., c in any::<u128>()) {
            prop_assume!(c < b);
            let n = Wide::from_u128(a).mul_u128(b).unwrap().add(Wide::from_u128(c)).unwrap();
            let (q, r) = n.div_rem(Wide::from_u128(b)).unwrap();
            prop_assert_eq!((q, r), (Wide::from_u128(a), Wide::from_u128(c)));
        }
    }
}
