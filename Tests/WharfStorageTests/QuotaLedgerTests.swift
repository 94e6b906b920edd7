import Testing
import WharfContent

@testable import WharfStorage

@Suite("The quota ledger")
struct QuotaLedgerTests {
    static func digest(_ seed: UInt8) -> OCIDigest { DigestHasher.digest(of: [seed]) }

    static func namespace(_ links: [(String, UInt8, Int64)]) -> QuotaLedger.Namespace {
        var usage = QuotaLedger.Namespace()
        for (repository, seed, size) in links { usage.add(digest(seed), size: size, to: repository) }
        return usage
    }

    @Test("a pending link of a blob the namespace already holds takes no room from another push")
    func pendingSharedBlobIsFree() async throws {
        let ledger = QuotaLedger()
        let usage = Self.namespace([("team/a", 1, 1000)])
        let load: @Sendable () async throws -> QuotaLedger.Namespace = { usage }
        // team/b mounts team/a's blob: new to the repository, not to the namespace.
        let mount = try await ledger.reserve(
            Self.digest(1), size: 1000, repository: "team/b", repositoryLimit: nil, namespace: "team",
            namespaceLimit: 2000, load: load)
        #expect(mount != nil)
        // While it is pending, a new 1000-byte blob still fits: 1000 + 0 + 1000 <= 2000.
        let upload = try await ledger.reserve(
            Self.digest(2), size: 1000, repository: "team/c", repositoryLimit: nil, namespace: "team",
            namespaceLimit: 2000, load: load)
        #expect(upload != nil)
        // A third does not.
        await #expect(throws: RegistryStoreError.self) {
            try await ledger.reserve(
                Self.digest(3), size: 1, repository: "team/d", repositoryLimit: nil, namespace: "team",
                namespaceLimit: 2000, load: load)
        }
    }

    @Test("links made while a namespace is being read are kept when the read is installed")
    func changesDuringLoadSurvive() async throws {
        let ledger = QuotaLedger()
        let (gate, release) = AsyncStream<Void>.makeStream()
        let slowLoad: @Sendable () async throws -> QuotaLedger.Namespace = {
            for await _ in gate { break }  // the read finishes only when the test says so
            return Self.namespace([])  // it did not see the link confirmed meanwhile
        }
        let first = Task {
            try await ledger.reserve(
                Self.digest(1), size: 600, repository: "team/a", repositoryLimit: 1000, namespace: "team",
                namespaceLimit: nil, load: slowLoad)
        }
        // A reservation made with an already-installed view would need the load; instead,
        // install one, confirm a link, then let a second, slower read finish.
        release.yield()
        let reservation = try #require(try await first.value)
        await ledger.invalidate()
        let (gate2, release2) = AsyncStream<Void>.makeStream()
        let staleRead: @Sendable () async throws -> QuotaLedger.Namespace = {
            for await _ in gate2 { break }
            return Self.namespace([])
        }
        let second = Task {
            try await ledger.reserve(
                Self.digest(2), size: 600, repository: "team/a", repositoryLimit: 1000, namespace: "team",
                namespaceLimit: nil, load: staleRead)
        }
        while await !ledger.isLoading("team") { await Task.yield() }
        await ledger.confirm(reservation)  // the first link lands while the namespace is read
        release2.yield()
        await #expect(throws: RegistryStoreError.self, "600 + 600 passes 1000: the confirmed link was kept") {
            try await second.value
        }
    }
}
