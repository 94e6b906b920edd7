import WharfContent

/// The checks that image manifests and indexes share: `schemaVersion`, the document's own
/// `mediaType` against its kind and against the type it was served or described as, and
/// a well-formed `artifactType`.
enum DocumentHeader {
    /// Which family of document is being validated.
    enum Kind {
        case manifest
        case index

        var name: String { self == .manifest ? "an image manifest" : "an index" }
        var dockerType: OCIMediaType { self == .manifest ? .dockerManifest : .dockerManifestList }
        var dockerName: String { self == .manifest ? "a Docker schema 2 manifest" : "a Docker manifest list" }

        func accepts(_ type: OCIMediaType) -> Bool {
            self == .manifest ? type.isImageManifest : type.isIndex
        }
    }

    static func validate(
        schemaVersion: Int, mediaType: OCIMediaType?, artifactType: OCIMediaType?, expected: OCIMediaType?,
        kind: Kind
    ) throws(ImageSpecError) {
        guard schemaVersion == 2 else {
            throw ImageSpecError(field: "schemaVersion", reason: "must be 2 (found \(schemaVersion))")
        }
        if let mediaType, !kind.accepts(mediaType) {
            throw ImageSpecError(
                field: "mediaType", reason: "\(mediaType) is not the media type of \(kind.name)")
        }
        if let expected {
            guard kind.accepts(expected) else {
                throw ImageSpecError(field: "mediaType", reason: "\(kind.name) cannot be a \(expected)")
            }
            if let mediaType, mediaType.essence != expected.essence {
                throw ImageSpecError(
                    field: "mediaType", reason: "\(mediaType) does not match the expected \(expected)")
            }
            if mediaType == nil, expected.essence == kind.dockerType.rawValue {
                throw ImageSpecError(field: "mediaType", reason: "is required in \(kind.dockerName)")
            }
        }
        if let artifactType, !artifactType.isWellFormed {
            throw ImageSpecError(field: "artifactType", reason: "\(artifactType) is not a media type")
        }
    }
}
