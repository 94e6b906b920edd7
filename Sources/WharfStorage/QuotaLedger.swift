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

        /// Every digest the namespace's repositories link.
        var digests: Set<OCIDigest> { Set(references.keys) }

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

    /// A change to usage made while the namespace was being read from storage: replayed on
    /// what was read, which may or may not have seen it.
    private enum Change {
        case added(OCIDigest, size: Int64, repository: String)
        case removed(OCIDigest, repository: String)
    }

    private struct Load {
        let id: UInt64
        let task: Task<Namespace, any Error>
        var changes: [Change] = []
        /// Whether the storage may have changed behind the ledger's back since the load
        /// started (a garbage collection): then what it read is used once, not trusted.
        var outdated = false
    }

    /// How long usage read from storage is trusted before it is read again, so that other
    /// processes' pushes are seen.
    static let refreshInterval = Duration.seconds(60)

    private var namespaces: [String: (usage: Namespace, loaded: ContinuousClock.Instant)] = [:]
    private var loads: [String: Load] = [:]
    private var reservations: [UInt64: Reservation] = [:]
    private var nextID: UInt64 = 0

    /// Checks that linking `digest` (`size` bytes) into `repository` keeps it within
    /// `repositoryLimit` and its namespace within `namespaceLimit`, counting what earlier
    /// checks reserved; reserves the bytes and returns the reservation (`nil` when nothing
    /// is added: the digest is counted already). Throws ``RegistryStoreError/denied(_:)``
    /// past a limit. The namespace's usage is read with `load` when it is not known or is
    /// stale; one read serves every check that waits for it.
    func reserve(
        _ digest: OCIDigest, size: Int64, repository: String, repositoryLimit: Int64?, namespace: String,
        namespaceLimit: Int64?, load: @escaping @Sendable () async throws -> Namespace
    ) async throws -> Reservation? {
        let usage = try await current(namespace, load: load)
        // From here to the end, no suspension: the check and the reservation are one step.
        guard !usage.links(digest, in: repository) else { return nil }
        let others = reservations.values.filter { $0.digest != digest }
        if let limit = repositoryLimit {
            let pending = others.filter {
                $0.repository == repository && !usage.links($0.digest, in: repository)
            }
            let total = (usage.repositoryBytes[repository] ?? 0) + distinctBytes(pending) + size
            if total > limit {
                throw RegistryStoreError.denied(
                    "quota exceeded: repository \(repository) would use \(total) of \(limit) bytes")
            }
        }
        if let limit = namespaceLimit, !usage.links(digest) {
            let pending = others.filter { $0.namespace == namespace && !usage.links($0.digest) }
            if usage.bytes + distinctBytes(pending) + size > limit {
                throw RegistryStoreError.denied(
                    "quota exceeded: namespace \(namespace) would pass its limit of \(limit) bytes")
            }
        }
        nextID += 1
        let reservation = Reservation(
            id: nextID, repository: repository, namespace: namespace, digest: digest, size: size)
        reservations[reservation.id] = reservation
        return reservation
    }

    /// The link happened: the reserved bytes are now usage.
    func confirm(_ reservation: Reservation) {
        reservations[reservation.id] = nil
        apply(
            .added(reservation.digest, size: reservation.size, repository: reservation.repository),
            to: reservation.namespace)
    }

    /// The link did not happen: the reserved bytes are free again. When it is unknown
    /// whether it happened (the link failed part-way), the namespace is read again.
    func release(_ reservation: Reservation, linkUncertain: Bool) {
        reservations[reservation.id] = nil
        if linkUncertain { markStale(reservation.namespace) }
    }

    /// `digest` is no longer linked into `repository`.
    func removed(_ digest: OCIDigest, from repository: String, in namespace: String) {
        apply(.removed(digest, repository: repository), to: namespace)
    }

    /// Storage changed behind the ledger's back (a garbage collection): every namespace is
    /// read again before its next check, and reads under way are not trusted.
    func invalidate() {
        for name in namespaces.keys { markStale(name) }
        for name in loads.keys { loads[name]?.outdated = true }
    }

    /// Whether the namespace is being read from storage (for tests).
    func isLoading(_ namespace: String) -> Bool { loads[namespace] != nil }

    /// The namespace's usage: as known, or read from storage (once, however many checks
    /// wait for it) when unknown or stale.
    private func current(
        _ namespace: String, load: @escaping @Sendable () async throws -> Namespace
    ) async throws -> Namespace {
        if let entry = namespaces[namespace], ContinuousClock.now - entry.loaded < Self.refreshInterval {
            return entry.usage
        }
        let pending: Load
        if let running = loads[namespace] {
            pending = running
        } else {
            nextID += 1
            pending = Load(id: nextID, task: Task { try await load() })
            loads[namespace] = pending
        }
        let read: Namespace
        do {
            read = try await pending.task.value
        } catch {
            if loads[namespace]?.id == pending.id { loads[namespace] = nil }
            throw error
        }
        // The first waiter to resume installs the read, with what changed meanwhile.
        if let finished = loads[namespace], finished.id == pending.id {
            loads[namespace] = nil
            var usage = read
            for change in finished.changes { Self.apply(change, to: &usage) }
            namespaces[namespace] = (usage, finished.outdated ? .now - Self.refreshInterval : .now)
            return usage
        }
        return namespaces[namespace]?.usage ?? read
    }

    private func apply(_ change: Change, to namespace: String) {
        if var entry = namespaces[namespace] {
            Self.apply(change, to: &entry.usage)
            namespaces[namespace] = entry
        }
        loads[namespace]?.changes.append(change)
    }

    private static func apply(_ change: Change, to usage: inout Namespace) {
        switch change {
        case .added(let digest, let size, let repository): usage.add(digest, size: size, to: repository)
        case .removed(let digest, let repository): usage.remove(digest, from: repository)
        }
    }

    private func markStale(_ namespace: String) {
        namespaces[namespace]?.loaded = .now - Self.refreshInterval
    }

    /// The bytes of `reservations`, each digest once.
    private func distinctBytes(_ reservations: [Reservation]) -> Int64 {
        var seen = Set<OCIDigest>()
        return reservations.reduce(0) { total, reservation in
            seen.insert(reservation.digest).inserted ? total + reservation.size : total
        }
    }
}
