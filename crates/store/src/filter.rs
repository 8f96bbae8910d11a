//! A membership filter over the merged fingerprint index (a Bloom filter,
//! Bloom 1970), kept in the store beside it.
//!
//! Almost every fingerprint of a new article is new: of a batch of 1000
//! synthetic articles added to a store of 470k, 0.8 % were already in
//! `fingerprints`. Each probe of that index for a fingerprint it lacks
//! still reads a leaf page, and in a store larger than memory most leaves
//! are cold, so the probes of a batch cost about one disk read each. The
//! filter answers "certainly absent" for nearly all of them from memory;
//! only the rest are looked up. It never answers "absent" for a stored
//! fingerprint, so results are the same with or without it.

use rusqlite::{params, Connection, OptionalExtension};

use crate::Result;

/// Hash functions per fingerprint.
const PROBES: usize = 3;
/// Bits per merged fingerprint when the filter is sized: about 1 % false
/// positives, 3 % when it has filled to the [`MIN_BITS_PER_ROW`] at which it
/// is made again, half as large again (so the rows read to make it again
/// stay proportional to the rows added).
const BITS_PER_ROW: u64 = 12;
const MIN_BITS_PER_ROW: u64 = 8;
/// Bounds on the filter's size in bits (128 KB to 2 GB).
const MIN_BITS: u64 = 1 << 20;
const MAX_BITS: u64 = 1 << 34;
/// The filter is stored in blobs of this many bytes.
const CHUNK_BYTES: usize = 1 << 20;

/// `store_facts` keys: the filter's size in bits and a number
/// that changes whenever it is written, so a copy in memory knows it is
/// out of date.
pub(crate) const SIZE_KEY: &str = "fingerprint_filter_bits";
pub(crate) const EPOCH_KEY: &str = "fingerprint_filter_epoch";

/// The filter in memory.
#[derive(Debug, Clone)]
pub(crate) struct FingerprintFilter {
    words: Vec<u64>,
    /// The [`EPOCH_KEY`] value it was read or written at.
    pub(crate) epoch: i64,
}

/// SplitMix64's finaliser: fingerprints are already uniform, but each hash
/// function needs bits of its own.
fn mix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

impl FingerprintFilter {
    /// An empty filter sized for `rows` fingerprints.
    pub(crate) fn sized_for(rows: u64) -> FingerprintFilter {
        let bits = rows.saturating_mul(BITS_PER_ROW).clamp(MIN_BITS, MAX_BITS);
        FingerprintFilter { words: vec![0; bits.div_ceil(64) as usize], epoch: 0 }
    }

    /// Whether it still has enough bits for `rows` fingerprints.
    pub(crate) fn holds(&self, rows: u64) -> bool {
        self.bits() >= MAX_BITS || rows.saturating_mul(MIN_BITS_PER_ROW) <= self.bits()
    }

    fn bits(&self) -> u64 {
        self.words.len() as u64 * 64
    }

    /// Its size in bytes.
    pub(crate) fn bytes(&self) -> usize {
        self.words.len() * 8
    }

    fn positions(&self, hash: i64) -> [usize; PROBES] {
        let mut z = hash as u64;
        let bits = self.bits() as u128;
        // A uniform 64-bit value scaled to the size (Lemire 2019): no
        // division, and any size, not only powers of two.
        std::array::from_fn(|_| {
            z = mix(z);
            ((z as u128 * bits) >> 64) as usize
        })
    }

    /// Adds a fingerprint.
    pub(crate) fn insert(&mut self, hash: i64) {
        for p in self.positions(hash) {
            self.words[p >> 6] |= 1 << (p & 63);
        }
    }

    /// False when the fingerprint is certainly not in the index.
    pub(crate) fn may_contain(&self, hash: i64) -> bool {
        self.positions(hash).iter().all(|&p| self.words[p >> 6] & (1 << (p & 63)) != 0)
    }

    /// Adds every fingerprint of `tables` (`fingerprints`,
    /// `fingerprints_mid` or `fingerprints_recent`) and stores the filter.
    pub(crate) fn add_and_save(&mut self, conn: &Connection, tables: &[&str]) -> Result<()> {
        for table in tables {
            let mut stmt = conn.prepare(&format!("SELECT hash FROM {table}"))?;
            let mut hashes = stmt.query([])?;
            while let Some(row) = hashes.next()? {
                self.insert(row.get(0)?);
            }
        }
        self.save(conn)
    }

    /// Reads the stored filter, if there is one.
    pub(crate) fn load(conn: &Connection) -> Result<Option<FingerprintFilter>> {
        let Some((bits, epoch)) = stored_version(conn)? else { return Ok(None) };
        let mut filter = FingerprintFilter { words: vec![0; bits.div_ceil(64) as usize], epoch };
        let mut stmt = conn.prepare("SELECT chunk, bits FROM fingerprint_filter ORDER BY chunk")?;
        let mut rows = stmt.query([])?;
        let words_per_chunk = CHUNK_BYTES / 8;
        while let Some(row) = rows.next()? {
            let chunk = row.get::<_, i64>(0)? as usize;
            let bits: Vec<u8> = row.get(1)?;
            let start = chunk * words_per_chunk;
            for (k, word) in bits.chunks_exact(8).enumerate() {
                if let Some(w) = filter.words.get_mut(start + k) {
                    *w = u64::from_le_bytes(word.try_into().unwrap_or_default());
                }
            }
        }
        Ok(Some(filter))
    }

    /// Writes the filter over the stored one (inside the caller's
    /// transaction) under a new epoch.
    pub(crate) fn save(&mut self, conn: &Connection) -> Result<()> {
        let epoch = stored_version(conn)?.map_or(0, |(_, e)| e) + 1;
        conn.execute("DELETE FROM fingerprint_filter", [])?;
        let mut put = conn.prepare_cached("INSERT INTO fingerprint_filter (chunk, bits) VALUES (?1, ?2)")?;
        for (chunk, words) in self.words.chunks(CHUNK_BYTES / 8).enumerate() {
            let bytes: Vec<u8> = words.iter().flat_map(|w| w.to_le_bytes()).collect();
            put.execute(params![chunk as i64, bytes])?;
        }
        let mut fact = conn.prepare_cached(
            "INSERT INTO store_facts (key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2",
        )?;
        fact.execute(params![SIZE_KEY, self.bits() as i64])?;
        fact.execute(params![EPOCH_KEY, epoch])?;
        self.epoch = epoch;
        Ok(())
    }
}

/// The stored filter's size in bits and its epoch, if one is stored.
pub(crate) fn stored_version(conn: &Connection) -> Result<Option<(u64, i64)>> {
    let fact = |key: &str| -> Result<Option<i64>> {
        Ok(conn
            .query_row("SELECT CAST(value AS INTEGER) FROM store_facts WHERE key = ?1", [key], |r| r.get(0))
            .optional()?)
    };
    Ok(match (fact(SIZE_KEY)?, fact(EPOCH_KEY)?) {
        (Some(bits), Some(epoch)) if (MIN_BITS as i64..=MAX_BITS as i64).contains(&bits) => Some((bits as u64, epoch)),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_filter_never_forgets_and_rarely_imagines() {
        let mut filter = FingerprintFilter::sized_for(10_000);
        let stored: Vec<i64> = (0..10_000u64).map(|k| (mix(k) >> 1) as i64).collect();
        for &h in &stored {
            filter.insert(h);
        }
        assert!(stored.iter().all(|&h| filter.may_contain(h)));
        let false_positives = (10_000..110_000u64).filter(|&k| filter.may_contain((mix(k) >> 1) as i64)).count();
        // Sized at 12 bits a row and 3 hash functions: about 1 %.
        assert!(false_positives < 2_000, "{false_positives} false positives in 100000");
    }

    #[test]
    fn a_saved_filter_reads_back_the_same() {
        let conn = Connection::open_in_memory().unwrap();
        conn.execute_batch(
            "CREATE TABLE store_facts (key TEXT PRIMARY KEY, value);
             CREATE TABLE fingerprint_filter (chunk INTEGER PRIMARY KEY, bits BLOB NOT NULL);",
        )
        .unwrap();
        assert!(FingerprintFilter::load(&conn).unwrap().is_none());
        // Large enough for several chunks.
        let mut filter = FingerprintFilter::sized_for(1_000_000);
        assert!(filter.bytes() > CHUNK_BYTES);
        for k in 0..1000 {
            filter.insert(k * 7919);
        }
        filter.save(&conn).unwrap();
        filter.save(&conn).unwrap();
        let read = FingerprintFilter::load(&conn).unwrap().unwrap();
        assert_eq!(read.epoch, 2);
        assert_eq!(read.words, filter.words);
        assert!(filter.holds(1_000_000) && !filter.holds(2_000_000));
    }
}
