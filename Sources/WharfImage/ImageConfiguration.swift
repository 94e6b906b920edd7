public import Foundation
public import WharfContent

/// An image configuration (OCI `application/vnd.oci.image.config.v1+json`, which Docker's
/// `application/vnd.docker.container.image.v1+json` extends compatibly).
///
/// Times are kept as the RFC 3339 strings they were written as, so nothing is lost to a
/// date round trip. Fields Docker adds beyond the OCI set (`container_config`, `docker_version`,
/// `Healthcheck`, ...) are not modelled; they survive in the exact bytes a
/// ``ManifestDocument`` or a store keeps.
public struct ImageConfiguration: Sendable, Hashable, Codable {
    /// When the image was created (RFC 3339).
    public var created: String?
    /// Who created the image.
    public var author: String?
    /// The CPU architecture the binaries are built for.
    public var architecture: String
    /// The operating system the image runs on.
    public var os: String
    /// The operating system version (Windows).
    public var osVersion: String?
    /// Required operating system features (Windows).
    public var osFeatures: [String]?
    /// The CPU variant.
    public var variant: String?
    /// Execution defaults for a container.
    public var config: ExecutionConfig?
    /// The layers' uncompressed digests.
    public var rootfs: RootFS
    /// How each layer was made.
    public var history: [History]?

    /// Creates a configuration.
    public init(
        architecture: String, os: String, rootfs: RootFS, created: String? = nil, author: String? = nil,
        variant: String? = nil, osVersion: String? = nil, osFeatures: [String]? = nil,
        config: ExecutionConfig? = nil, history: [History]? = nil
    ) {
        self.architecture = architecture
        self.os = os
        self.rootfs = rootfs
        self.created = created
        self.author = author
        self.variant = variant
        self.osVersion = osVersion
        self.osFeatures = osFeatures
        self.config = config
        self.history = history
    }

    enum CodingKeys: String, CodingKey {
        case created, author, architecture, os, variant, config, rootfs, history
        case osVersion = "os.version"
        case osFeatures = "os.features"
    }

    /// The platform the configuration declares.
    public var platform: Platform {
        Platform(
            os: os, architecture: architecture, variant: variant, osVersion: osVersion, osFeatures: osFeatures
        )
    }

    /// Decodes and validates configuration bytes.
    public static func decode(_ bytes: Data) throws(ImageSpecError) -> ImageConfiguration {
        let configuration = try ImageJSON.decode(ImageConfiguration.self, from: bytes)
        guard configuration.rootfs.type == "layers" else {
            throw ImageSpecError(
                field: "rootfs.type", reason: "must be \"layers\" (found \"\(configuration.rootfs.type)\")")
        }
        return configuration
    }

    /// The deterministic JSON encoding of this configuration.
    public func encoded() throws -> Data {
        try ImageJSON.encode(self)
    }

    /// The layer file systems of the image.
    public struct RootFS: Sendable, Hashable, Codable {
        /// Always `layers`.
        public var type: String
        /// The digests of the uncompressed layer tars, base first.
        public var diffIDs: [OCIDigest]

        /// Creates a root file system description.
        public init(diffIDs: [OCIDigest]) {
            self.type = "layers"
            self.diffIDs = diffIDs
        }

        enum CodingKeys: String, CodingKey {
            case type
            case diffIDs = "diff_ids"
        }
    }

    /// One step of the image's build history.
    public struct History: Sendable, Hashable, Codable {
        /// When the step ran (RFC 3339).
        public var created: String?
        /// The command that ran.
        public var createdBy: String?
        /// Who ran it.
        public var author: String?
        /// A free-form comment.
        public var comment: String?
        /// Whether the step produced no layer.
        public var emptyLayer: Bool?

        /// Creates a history entry.
        public init(
            created: String? = nil, createdBy: String? = nil, author: String? = nil, comment: String? = nil,
            emptyLayer: Bool? = nil
        ) {
            self.created = created
            self.createdBy = createdBy
            self.author = author
            self.comment = comment
            self.emptyLayer = emptyLayer
        }

        enum CodingKeys: String, CodingKey {
            case created, author, comment
            case createdBy = "created_by"
            case emptyLayer = "empty_layer"
        }
    }

    /// The execution defaults of a container started from the image.
    public struct ExecutionConfig: Sendable, Hashable, Codable {
        /// The user (and group) processes run as.
        public var user: String?
        /// Ports to expose, as `port/protocol` keys.
        public var exposedPorts: [String: EmptyObject]?
        /// Environment variables as `NAME=value`.
        public var env: [String]?
        /// The entry point.
        public var entrypoint: [String]?
        /// The default arguments.
        public var cmd: [String]?
        /// Directories that are volumes.
        public var volumes: [String: EmptyObject]?
        /// The working directory.
        public var workingDir: String?
        /// Labels.
        public var labels: [String: String]?
        /// The signal that stops the container.
        public var stopSignal: String?
        /// Whether `cmd` is already escaped (Windows).
        public var argsEscaped: Bool?

        /// Creates execution defaults.
        public init(
            user: String? = nil, exposedPorts: [String: EmptyObject]? = nil, env: [String]? = nil,
            entrypoint: [String]? = nil, cmd: [String]? = nil, volumes: [String: EmptyObject]? = nil,
            workingDir: String? = nil, labels: [String: String]? = nil, stopSignal: String? = nil,
            argsEscaped: Bool? = nil
        ) {
            self.user = user
            self.exposedPorts = exposedPorts
            self.env = env
            self.entrypoint = entrypoint
            self.cmd = cmd
            self.volumes = volumes
            self.workingDir = workingDir
            self.labels = labels
            self.stopSignal = stopSignal
            self.argsEscaped = argsEscaped
        }

        enum CodingKeys: String, CodingKey {
            case user = "User"
            case exposedPorts = "ExposedPorts"
            case env = "Env"
            case entrypoint = "Entrypoint"
            case cmd = "Cmd"
            case volumes = "Volumes"
            case workingDir = "WorkingDir"
            case labels = "Labels"
            case stopSignal = "StopSignal"
            case argsEscaped = "ArgsEscaped"
        }
    }

    /// The JSON `{}` used as the value of set-like maps (`ExposedPorts`, `Volumes`).
    public struct EmptyObject: Sendable, Hashable, Codable {
        /// Creates the empty object.
        public init() {}
    }
}
