import Foundation
import WharfContent
import WharfMetadata
import WharfStorage

/// One repository's manifests sorted into what retention judges and what follows: the
/// artifacts (manifests with a tag of their own, and untagged ones no index lists), and
/// the companions (referrers, `sha256-<hex>.sig/.att/.sbom` images, untagged index children)
/// that go with the artifact they belong to, never on their own, as in Harbor.
struct RepositoryArtifacts {
    let manifests: [OCIDigest: StoredManifest]
    let artifacts: [RetentionArtifact]
    /// child → the indexes listing it.
    let parents: [OCIDigest: [OCIDigest]]

    /// Sorts `stored` manifests, dating them by `records` (storage's link times where they
    /// know none). With `storageTimesComparable` (the rules judge by the real clock), a link
    /// written after the recorded push counts as a push too: a re-push the recorder missed.
    /// Pulls before `pullsSince` are unknown, not absent: an artifact pushed before then and
    /// not pulled since counts as pulled then.
    init(
        _ stored: [StoredManifest], records: [OCIDigest: ManifestRecord], pullsSince: Date?,
        storageTimesComparable: Bool
    ) {
        manifests = Dictionary(stored.map { ($0.digest, $0) }, uniquingKeysWith: { first, _ in first })
        var parents: [OCIDigest: [OCIDigest]] = [:]
        for manifest in stored {
            for child in manifest.children { parents[child, default: []].append(manifest.digest) }
        }
        self.parents = parents
        artifacts = stored.compactMap { manifest in
            guard manifest.subject == nil else { return nil }
            let tags = manifest.tags.filter { Self.attachmentSubject(ofTag: $0) == nil }
            if tags.isEmpty {
                // Only attachment tags: a companion. No tags and listed: a child.
                guard manifest.tags.isEmpty, parents[manifest.digest] == nil else { return nil }
            }
            let record = records[manifest.digest]
            var pushedAt = record?.pushedAt ?? manifest.linkedAt
            if storageTimesComparable { pushedAt = max(pushedAt, manifest.linkedAt) }
            let pulledAt = record?.lastPulledAt ?? pullsSince.flatMap { pushedAt < $0 ? $0 : nil }
            return RetentionArtifact(
                digest: manifest.digest, tags: tags, pushedAt: pushedAt, lastPulledAt: pulledAt)
        }
    }

    /// The subject of a cosign attachment tag (`sha256-<hex>.sig`, `.att`, `.sbom`).
    static func attachmentSubject(ofTag tag: String) -> OCIDigest? {
        for suffix in [".sig", ".att", ".sbom"] where tag.hasSuffix(suffix) {
            let name = tag.dropLast(suffix.count)
            guard let dash = name.firstIndex(of: "-") else { return nil }
            return try? OCIDigest(parsing: "\(name[..<dash]):\(name[name.index(after: dash)...])")
        }
        return nil
    }

    /// Every manifest an index lists, transitively.
    func descendants(of digest: OCIDigest) -> Set<OCIDigest> {
        var found = Set<OCIDigest>()
        var pending = manifests[digest]?.children ?? []
        while let next = pending.popLast() {
            guard found.insert(next).inserted else { continue }
            pending += manifests[next]?.children ?? []
        }
        return found
    }

    /// What goes with `removed` artifacts, transitively: their referrers and attachment
    /// images, and the untagged children of removed indexes. A follower stays while
    /// something kept still needs it: a tag of its own, another subject it is attached to
    /// (an identical SBOM serves several images), or another index listing it.
    func companions(of removed: Set<OCIDigest>) -> [OCIDigest: [OCIDigest]] {
        var owner: [OCIDigest: OCIDigest] = [:]
        func gone(_ digest: OCIDigest) -> Bool {
            removed.contains(digest) || owner[digest] != nil || manifests[digest] == nil
        }
        var attached: [OCIDigest: [OCIDigest]] = [:]  // subject → attachments and referrers
        var subjects: [OCIDigest: Set<OCIDigest>] = [:]  // follower → what it is attached to
        for manifest in manifests.values {
            var targets = Set(manifest.tags.compactMap(Self.attachmentSubject(ofTag:)))
            if let subject = manifest.subject { targets.insert(subject) }
            for target in targets { attached[target, default: []].append(manifest.digest) }
            subjects[manifest.digest] = targets
        }
        var pending = removed.map { ($0, $0) }
        while let (digest, root) = pending.popLast() {
            var followers = attached[digest] ?? []
            for child in manifests[digest]?.children ?? [] where manifests[child]?.tags.isEmpty == true {
                followers.append(child)
            }
            for follower in followers where !gone(follower) {
                guard let manifest = manifests[follower] else { continue }
                let ownTags = manifest.tags.filter { Self.attachmentSubject(ofTag: $0) == nil }
                guard ownTags.isEmpty else { continue }
                guard (subjects[follower] ?? []).allSatisfy(gone) else { continue }
                guard (parents[follower] ?? []).allSatisfy({ gone($0) || $0 == digest }) else { continue }
                owner[follower] = root
                pending.append((follower, root))
            }
        }
        var result: [OCIDigest: [OCIDigest]] = [:]
        for (companion, root) in owner { result[root, default: []].append(companion) }
        return result.mapValues { $0.sorted { $0.description < $1.description } }
    }
}
