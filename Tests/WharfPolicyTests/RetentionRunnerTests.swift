import Foundation
import NIOCore
import Testing
import WharfPolicy
import WharfTestSupport

/// What a retention run never removes, and what it removes along with an artifact.
@Suite("Retention runs: protections and companions")
struct RetentionRunnerTests {
    static let old = Date().addingTimeInterval(-400 * 86_400)

    /// Puts an index of `children` as `tags`.
    static func index(
        _ children: [Descriptor], in repository: RegistryRepository, tags: [String]
    ) async throws -> Descriptor {
        let document = try ManifestDocument(ImageIndex(manifests: children))
        let descriptor = try await repository.putManifest(
            ByteBuffer(bytes: document.bytes), mediaType: .ociIndex,
            reference: tags.first ?? document.descriptor.digest.description
        ).descriptor
        for tag in tags.dropFirst() { try await repository.setTag(tag, to: descriptor.digest) }
        return descriptor
    }

    @Test(
        "signatures, referrers and untagged index children go with their artifact; listed and immutable ones stay"
    )
    func companionsAndProtections() async throws {
        var fixture = RetentionFixture(
            immutableTags: TagImmutability(rules: [ImmutableTagRule(repositories: "**", tags: ["v*"])]))
        let repository = try fixture.store.repository("ci/app")
        let old = Self.old
        // An old CI build with a cosign signature image and an SBOM referrer.
        let build = try await fixture.add("ci/app", name: "build", tags: ["ci-1"], pushedAt: old)
        try await fixture.add(
            "ci/app", name: "sig", tags: ["sha256-\(build.digest.encoded).sig"], pushedAt: old)
        let sbom = try await fixture.add("ci/app", name: "sbom", tags: [], pushedAt: old, subject: build)
        // An old multi-platform build: one child only it lists, one a release index lists too.
        let only = try await fixture.add("ci/app", name: "only", tags: [], pushedAt: old)
        let shared = try await fixture.add("ci/app", name: "shared", tags: [], pushedAt: old)
        let multi = try await Self.index([only, shared], in: repository, tags: ["ci-2"])
        try await fixture.metadata.recordPush(
            PushRecord(
                repository: "ci/app", digest: multi.digest, mediaType: .ociIndex, size: multi.size, at: old))
        let release = try await Self.index([shared], in: repository, tags: ["release-1"])
        // A tagged CI build a kept index lists, and an old immutable release.
        let listed = try await fixture.add("ci/app", name: "listed", tags: ["ci-3"], pushedAt: old)
        try await Self.index([listed], in: repository, tags: ["release-2"])
        let immutable = try await fixture.add("ci/app", name: "immutable", tags: ["v1"], pushedAt: old)

        let policy = RetentionPolicy(rules: [
            RetentionRule(repositories: "ci/**", tags: ["release-*"], template: .always),
            RetentionRule(repositories: "ci/**", untagged: false, template: .nDaysSinceLastPush(14)),
        ])
        let activity = ActivityRecorder(store: fixture.metadata)
        let runner = RetentionRunner(store: fixture.store, policy: policy, activity: activity)
        // Judged by the recorded history alone (an injected clock): storage dates these
        // revisions now, as it would a push the recorder missed.
        let report = try await runner.run(RetentionOptions(grace: .zero, now: Date()))
        await activity.flush()

        #expect(Set(report.removed.map(\.digest)) == [build.digest, multi.digest])
        let buildRemoval = try #require(report.removed.first { $0.digest == build.digest })
        #expect(buildRemoval.companions.count == 2, "the signature image and the SBOM")
        #expect(try #require(report.removed.first { $0.digest == multi.digest }).companions == [only.digest])
        #expect(buildRemoval.reason.contains("kept by no rule"))
        let protected = Dictionary(uniqueKeysWithValues: report.protected.map { ($0.digest, $0.reason) })
        #expect(protected[listed.digest]?.contains("listed by the index") == true)
        #expect(protected[immutable.digest]?.contains("immutable") == true)

        let remaining = try await repository.storedManifests().map(\.digest)
        for gone in [build, sbom, multi, only] { #expect(!remaining.contains(gone.digest)) }
        for kept in [shared, release, listed, immutable] { #expect(remaining.contains(kept.digest)) }
        #expect(try await repository.tags().contains { $0.hasSuffix(".sig") } == false)
        // History and the audit log know what retention removed.
        #expect(try await fixture.metadata.manifest(build.digest, in: "ci/app") == nil)
        #expect(try await fixture.metadata.tagHistory(of: "ci-1", in: "ci/app").last?.by == "retention")
        let audit = try await fixture.metadata.auditEvents(matching: AuditQuery(actions: [.retention]))
        #expect(Set(audit.compactMap(\.digest)) == [build.digest, multi.digest])
    }

    @Test("nothing pushed within the grace window goes, however old its recorded push")
    func graceWindow() async throws {
        var fixture = RetentionFixture()
        try await fixture.add("ci/app", name: "a", tags: ["ci-1"], pushedAt: Self.old)
        let runner = RetentionRunner(
            store: fixture.store,
            policy: RetentionPolicy(rules: [RetentionRule(repositories: "**", template: .latestPushedK(0))]),
            metadata: fixture.metadata)
        let report = try await runner.run(RetentionOptions(grace: .seconds(3600)))
        #expect(report.removed.isEmpty)
        #expect(report.protected.map(\.reason) == ["pushed within the grace window"])
        #expect(try await fixture.stored().count == 1)
    }

    @Test("a deletion planned before a tag moved onto the artifact is refused, and the tag stays")
    func tagMovedSincePlan() async throws {
        var fixture = RetentionFixture()
        let repository = try fixture.store.repository("ci/app")
        let image = try await fixture.add("ci/app", name: "a", tags: ["ci-1"], pushedAt: Self.old)
        try await repository.setTag("fresh", to: image.digest)
        await #expect(throws: RegistryStoreError.self) {
            try await repository.deleteManifestReturningTags(image.digest, expectedTags: ["ci-1"])
        }
        #expect(try await repository.tagTarget("fresh") == image.digest)
    }

    @Test("an SBOM attached to two images stays while one of them does")
    func sharedAttachment() async throws {
        var fixture = RetentionFixture()
        let repository = try fixture.store.repository("ci/app")
        let old = try await fixture.add("ci/app", name: "old", tags: ["ci-1"], pushedAt: Self.old)
        let kept = try await fixture.add("ci/app", name: "kept", tags: ["release-1"], pushedAt: Self.old)
        let sbom = try await fixture.add(
            "ci/app", name: "sbom", tags: ["sha256-\(old.digest.encoded).sbom"], pushedAt: Self.old)
        try await repository.setTag("sha256-\(kept.digest.encoded).sbom", to: sbom.digest)
        let runner = RetentionRunner(
            store: fixture.store,
            policy: RetentionPolicy(rules: [
                RetentionRule(repositories: "**", tags: ["release-*"], template: .always)
            ]),
            metadata: fixture.metadata)
        let report = try await runner.run(RetentionOptions(grace: .zero, now: Date()))
        #expect(report.removed.map(\.digest) == [old.digest])
        #expect(report.removed.first?.companions == [])
        #expect(try await repository.tagTarget("sha256-\(kept.digest.encoded).sbom") == sbom.digest)
    }

    @Test(
        "pull-based rules refuse to judge without pull history; before tracking began, pulls are unknown, not absent"
    )
    func pullHistory() async throws {
        var fixture = RetentionFixture()
        let image = try await fixture.add("ci/app", name: "a", tags: ["ci-1"], pushedAt: Self.old)
        let policy = RetentionPolicy(rules: [
            RetentionRule(repositories: "**", template: .nDaysSinceLastPull(7))
        ])
        await #expect(throws: RetentionError.pullHistoryUnavailable) {
            try await RetentionRunner(store: fixture.store, policy: policy).run(
                RetentionOptions(grace: .zero))
        }
        // Tracking began three days ago: the never-pulled image counts as pulled then.
        let started = Date().addingTimeInterval(-3 * 86_400)
        let recent = InMemoryMetadataStore(pullsRecordedSince: started)
        try await recent.recordPush(
            PushRecord(
                repository: "ci/app", digest: image.digest, mediaType: image.mediaType, size: image.size,
                at: Self.old))
        let kept = try await RetentionRunner(store: fixture.store, policy: policy, metadata: recent).run(
            RetentionOptions(dryRun: true, grace: .zero, now: Date()))
        #expect(kept.removed.isEmpty)
        let later = try await RetentionRunner(store: fixture.store, policy: policy, metadata: recent).run(
            RetentionOptions(dryRun: true, grace: .zero, now: Date().addingTimeInterval(8 * 86_400)))
        #expect(later.removed.count == 1, "a week after tracking began, no pull means none")
    }

    @Test("a repository with a manifest that cannot be read is skipped, not judged without it")
    func unreadableManifest() async throws {
        var fixture = RetentionFixture()
        let image = try await fixture.add("ci/app", name: "a", tags: ["ci-1"], pushedAt: Self.old)
        try await fixture.add("ci/app", name: "b", tags: ["ci-2"], pushedAt: Self.old)
        try await fixture.store.driver.delete(try RegistryLayout.blobData(image.digest))
        let report = try await RetentionRunner(
            store: fixture.store,
            policy: RetentionPolicy(rules: [RetentionRule(repositories: "**", template: .latestPushedK(0))]),
            metadata: fixture.metadata
        ).run(RetentionOptions(grace: .zero, now: Date()))
        #expect(report.removed.isEmpty)
        #expect(report.errors.first?.contains("cannot be read") == true)
    }

    @Test("a deletion planned before the manifest was pushed again is refused")
    func pushedSincePlan() async throws {
        var fixture = RetentionFixture()
        let repository = try fixture.store.repository("ci/app")
        let image = try await fixture.add("ci/app", name: "a", tags: [], pushedAt: Self.old)
        await #expect(throws: RegistryStoreError.self) {
            try await repository.deleteManifestReturningTags(
                image.digest, expectedTags: [], linkedBefore: Date().addingTimeInterval(-60))
        }
        #expect(try await repository.storedManifests().count == 1)
    }
}
