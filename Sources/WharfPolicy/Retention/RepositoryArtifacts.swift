import Foundation
import WharfContent
import WharfMetadata
import WharfStorage

/// One repository's manifests sorted into what retention judges and what follows: the
/// artifacts (tagged manifests, and untagged ones no index lists), and the companions
/// (referrers, `sha256-<hex>.sig/.att/.sbom` images, untagged index children) that go
/// with the artifact they belong to, never on their own, as in Harbor.
struct RepositoryArtifacts {
    let manifests: [OCIDigest: StoredManifest]
    let artifacts: [RetentionArtifact]

    init(_ stored: [StoredManifest], records: [OCIDigest: ManifestRecord]) {
        manifests = Dictionary(stored.map { ($0.digest, $0) }, uniquingKeysWith: { first, _ in first })
        let listedByIndex = Set(stored.flatMap(\.children))
        artifacts = stored.compactMap { manifest in
            let tags = manifest.tags.filter { Self.attachmentSubject(ofTag: $0) == nil }
            guard manifest.subject == nil, manifest.tags.count == tags.count else { return nil }
            guard !tags.isEmpty || !listedByIndex.contains(manifest.digest) else { return nil }
            let record = records[manifest.digest]
            return RetentionArtifact(
                digest: manifest.digest, tags: tags, pushedAt: record?.pushedAt ?? manifest.linkedAt,
                lastPulledAt: record?.lastPulledAt)
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

    /// What goes with `removed` artifacts: their referrers and attachment images, and the
    /// untagged children of removed indexes no remaining index lists, transitively.
    func companions(of removed: Set<OCIDigest>) -> [OCIDigest: [OCIDigest]] {
        var owner: [OCIDigest: OCIDigest] = [:]
        var pending = removed.map { ($0, $0) }
        let gone = { (digest: OCIDigest) in removed.contains(digest) || owner[digest] != nil }
        var byTarget: [OCIDigest: [OCIDigest]] = [:]  // subject → attachments and referrers
        var parents: [OCIDigest: [OCIDigest]] = [:]  // child → the indexes listing it
        for manifest in manifests.values {
            for child in manifest.children { parents[child, default: []].append(manifest.digest) }
            if let subject = manifest.subject { byTarget[subject, default: []].append(manifest.digest) }
            for tag in manifest.tags {
                if let subject = Self.attachmentSubject(ofTag: tag) {
                    byTarget[subject, default: []].append(manifest.digest)
                }
            }
        }
        while let (digest, root) = pending.popLast() {
            var followers = byTarget[digest] ?? []
            for child in manifests[digest]?.children ?? [] {
                guard let stored = manifests[child], stored.tags.isEmpty else { continue }
                followers.append(child)
            }
            for follower in followers where !gone(follower) {
                // A child another remaining index lists stays.
                let listedElsewhere = (parents[follower] ?? []).contains { !gone($0) && $0 != digest }
                if listedElsewhere { continue }
                owner[follower] = root
                pending.append((follower, root))
            }
        }
        var result: [OCIDigest: [OCIDigest]] = [:]
        for (companion, root) in owner { result[root, default: []].append(companion) }
        return result.mapValues { $0.sorted { $0.description < $1.description } }
    }
}
