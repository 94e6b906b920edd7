import WharfContent

/// Hash states of uploads in progress, so that each chunk is hashed as it is written and
/// the commit needs no second read of the data.
///
/// It is only a cache: after a restart, or when another process took the previous chunk,
/// the state is rebuilt by hashing the staged data. A state is checked out while a chunk is
/// written and checked back in afterwards, so no two tasks ever feed one hasher.
actor UploadHashCache {
    private var states: [String: UploadHashState] = [:]

    func checkOut(_ key: String) -> UploadHashState? {
        states.removeValue(forKey: key)
    }

    func checkIn(_ key: String, _ state: UploadHashState) {
        states[key] = state
    }

    func discard(_ key: String) {
        states[key] = nil
    }
}

/// A hasher and how many bytes of the staged upload it has seen.
///
/// Unchecked-sendable because ownership moves between tasks only through the cache's
/// check-out/check-in, which hands a state to one task at a time.
final class UploadHashState: @unchecked Sendable {
    let hasher: DigestHasher
    var offset: Int64

    init(algorithm: DigestAlgorithm) {
        hasher = DigestHasher(algorithm: algorithm)
        offset = 0
    }
}
