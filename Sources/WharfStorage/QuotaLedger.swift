import WharfContent

/// Storage usage per repository and per namespace, kept up to date as blobs and manifests
/// are linked and deleted, so that a quota check costs no walk of the repository: a
/// namespace's usage is read from storage once (and again after ``refreshInterval``, or
/// after a garbage collection changed it behind the ledger's back), then adjusted in memory.
///
/// A check and the link it admits are one step here: the check reserves the bytes, and the
/// reservation counts against the limits until the link is confirmed or released, so
/// concurrent pushes through one store cannot together pass a limit that each alone
/// respects. Several processes over one storage root keep a ledger each and see each
/// other's pushes when they refresh; a shared metadata database is what makes quotas exact
/// across nodes.
actor QuotaLedger {
    /// What the repositories of one namespace link, each digest with its size.
    struct Namespace: Sendable {
        private(set) var repositories: [String: [OCIDigest: Int64]] = [:]
        private(set) var repositoryBytes: [String: Int64] = [:]
        /// How many of the namespace's repositories link each digest.
        private var references: [OCIDigest: Int] = [:]
        private(set) var bytes: Int64 = 0

        /// Whether `repository` links `digest`.
        func links(_ digest: OCIDigest, in repository: String) -> Bool {
            repositories[repository]?[digest] != nil
        }

        /// Whether any repository of the namespace links `digest`.
        func links(_ digest: OCIDigest) -> Bool { references[digest] != nil }

        /// Records that `repository` links `digest` of `size` bytes.
        mutating func add(_ digest: OCIDigest, size: Int64, to repository: String) {
            guard !links(digest, in: repository) else { return }
            repositories[repository, default: [:]][digest] = size
            repositoryBytes[repository, default: 0] += size
            references[digest, default: 0] += 1
            if references[digest] == 1 { bytes += size }
        }

        /// Records that `repository` no longer links `digest`.
        mutating func remove(_ digest: OCIDigest, from repository: String) {
            guard let size = repositories[repository]?.removeValue(forKey: digest) else { return }
            repositoryBytes[repository, default: 0] -= size
            let remaining = (references[digest] ?? 1) - 1
            references[digest] = remaining > 0 ? remaining : nil
            if remaining == 0 { bytes -= size }
        }
    }

    /// Bytes admitted by a check whose link has not happened yet.
    struct Reservation: Sendable {
        let id: UInt64
        let repository: String
        let namespace: String
        let digest: OCIDigest
        let size: Int64
    }

    /// How long usage read from storage is trusted before it is read again, so that other
    /// processes' pushes are seen.
    static let refreshInterval = Duration.seconds(60)

    private var namespaces: [String: (usage: Namespace, loaded: ContinuousClock.Instant)] = [:]
    private var reservations: [UInt64: Reservation] = [:]
    private var nextReservation: UInt64 = 0

    /// Whether the namespace's usage is known and fresh.
    func knows(_ namespace: String) -> Bool {
        guard let loaded = namespaces[namespace]?.loaded else { return false }
        return ContinuousClock.now - loaded < Self.refreshInterval
    }

    /// Installs usage read from storage.
    func install(_ usage: Namespace, for namespace: String) {
        namespaces[namespace] = (usage, .now)
    }

    /// Checks that linking `digest` (`size` bytes) into `repository` keeps it within
    /// `repositoryLimit` and its namespace within `namespaceLimit`, counting what earlier
    /// checks reserved; reserves the bytes and returns the reservation (`nil` when nothing
    /// is added: the digest is counted already). Throws ``RegistryStoreError/denied(_:)``
    /// past a limit. The namespace's usage must be installed.
    func reserve(
        _ digest: OCIDigest, size: Int64, repository: String, repositoryLimit: Int64?, namespace: String,
        namespaceLimit: Int64?
    ) throws -> Reservation? {
        let usage = namespaces[namespace]?.usage ?? Namespace()
        guard !usage.links(digest, in: repository) else { return nil }
        let others = reservations.values.filter { $0.digest != digest }
        if let limit = repositoryLimit {
            let total =
                (usage.repositoryBytes[repository] ?? 0)
                + distinctBytes(others.filter { $0.repository == repository })
                + size
            if total > limit {
                throw RegistryStoreError.denied(
                    "quota exceeded: repository \(repository) would use \(total) of \(limit) bytes")
            }
        }
        if let limit = namespaceLimit, !usage.links(digest) {
            let total = usage.bytes + distinctBytes(others.filter { $0.namespace == namespace }) + size
            if total > limit {
                throw RegistryStoreError.denied(
                    "quota exceeded: namespace \(namespace) would use \(total) of \(limit) bytes")
            }
        }
        nextReservation += 1
        let reservation = Reservation(
            id: nextReservation, repository: repository, namespace: namespace, digest: digest, size: size)
        reservations[reservation.id] = reservation
        return reservation
    }

    /// The link happened: the reserved bytes are now usage.
    func confirm(_ reservation: Reservation) {
        reservations[reservation.id] = nil
        namespaces[reservation.namespace]?.usage.add(
            reservation.digest, size: reservation.size, to: reservation.repository)
    }

    /// The link did not happen: the reserved bytes are free again.
    func release(_ reservation: Reservation) {
        reservations[reservation.id] = nil
    }

    /// `digest` is no longer linked into `repository`.
    func removed(_ digest: OCIDigest, from repository: String, in namespace: String) {
        namespaces[namespace]?.usage.remove(digest, from: repository)
    }

    /// Forgets all usage, so that it is read from storage again.
    func invalidate() {
        namespaces = [:]
    }

    /// The bytes of `reservations`, each digest once.
    private func distinctBytes(_ reservations: [Reservation]) -> Int64 {
        var seen = Set<OCIDigest>()
        return reservations.reduce(0) { total, reservation in
            seen.insert(reservation.digest).inserted ? total + reservation.size : total
        }
    }
}
