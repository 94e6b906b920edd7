import WharfContent

/// Where registry data lives on a driver: CNCF Distribution's layout under
/// `/docker/registry/v2`, so a root written by Distribution's `registry` is readable here
/// and the other way round, plus Wharf's own additions in places Distribution ignores
/// (`_referrers` inside a repository, which its catalog skips like every `_` directory,
/// and `/wharf` beside `/docker`).
package enum RegistryLayout {
    /// `/docker/registry/v2`
    package static let root: StoragePath = "/docker/registry/v2"
    /// `/docker/registry/v2/repositories`
    package static let repositories: StoragePath = "/docker/registry/v2/repositories"
    /// `/docker/registry/v2/blobs`
    package static let blobs: StoragePath = "/docker/registry/v2/blobs"
    /// `/wharf`, Wharf's coordination state (GC claims and runs).
    package static let wharf: StoragePath = "/wharf"

    /// `blobs/<alg>/<first two hex>/<hex>/data`
    package static func blobData(_ digest: OCIDigest) throws -> StoragePath {
        try blobs.appending(
            digest.algorithm.rawValue, String(digest.encoded.prefix(2)), digest.encoded, "data")
    }

    /// `repositories/<name>`
    package static func repository(_ name: String) throws -> StoragePath {
        try repositories.appending(name)
    }

    /// `repositories/<name>/_layers/<alg>/<hex>/link`
    package static func layerLink(_ name: String, _ digest: OCIDigest) throws -> StoragePath {
        try repository(name).appending("_layers", digest.algorithm.rawValue, digest.encoded, "link")
    }

    /// `repositories/<name>/_manifests/revisions/<alg>/<hex>/link`
    package static func revisionLink(_ name: String, _ digest: OCIDigest) throws -> StoragePath {
        try repository(name).appending(
            "_manifests", "revisions", digest.algorithm.rawValue, digest.encoded, "link")
    }

    /// `repositories/<name>/_manifests/revisions`
    package static func revisions(_ name: String) throws -> StoragePath {
        try repository(name).appending("_manifests", "revisions")
    }

    /// `repositories/<name>/_manifests/tags`
    package static func tags(_ name: String) throws -> StoragePath {
        try repository(name).appending("_manifests", "tags")
    }

    /// `repositories/<name>/_manifests/tags/<tag>`
    package static func tag(_ name: String, _ tag: String) throws -> StoragePath {
        try tags(name).appending(tag)
    }

    /// `repositories/<name>/_manifests/tags/<tag>/current/link`
    package static func tagCurrentLink(_ name: String, _ tag: String) throws -> StoragePath {
        try self.tag(name, tag).appending("current", "link")
    }

    /// `repositories/<name>/_manifests/tags/<tag>/index/<alg>/<hex>/link`
    package static func tagIndexLink(_ name: String, _ tag: String, _ digest: OCIDigest) throws -> StoragePath
    {
        try self.tag(name, tag).appending("index", digest.algorithm.rawValue, digest.encoded, "link")
    }

    /// `repositories/<name>/_uploads/<id>`
    package static func upload(_ name: String, _ id: String) throws -> StoragePath {
        try repository(name).appending("_uploads", id)
    }

    /// `repositories/<name>/_referrers/<alg>/<subject hex>`: one link per referrer below.
    package static func referrers(_ name: String, subject: OCIDigest) throws -> StoragePath {
        try repository(name).appending("_referrers", subject.algorithm.rawValue, subject.encoded)
    }

    /// `repositories/<name>/_referrers/<alg>/<subject hex>/<alg>/<hex>/link`
    package static func referrerLink(
        _ name: String, subject: OCIDigest, referrer: OCIDigest
    ) throws -> StoragePath {
        try referrers(name, subject: subject).appending(referrer.algorithm.rawValue, referrer.encoded, "link")
    }

    /// `/wharf/claims/<alg>/<hex>`: written just before a blob is linked anywhere, so that a
    /// concurrent garbage collection knows the blob is wanted.
    package static func claim(_ digest: OCIDigest) throws -> StoragePath {
        try wharf.appending("claims", digest.algorithm.rawValue, digest.encoded)
    }
}
