public import WharfContent

/// An image reference: `[registry/]repository[:tag][@digest]`, validated by the grammar of
/// the distribution reference package and normalised as Docker does.
///
/// ```
/// reference        := name [ ":" tag ] [ "@" digest ]
/// name             := [domain '/'] path-component ['/' path-component]*
/// domain           := host [':' port-number]
/// host             := domain-name | '[' IPv6address ']'
/// domain-name      := domain-component ['.' domain-component]*
/// domain-component := /([a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])/
/// path-component   := /[a-z0-9]+/ (separator /[a-z0-9]+/)*
/// separator        := /[_.]|__|[-]+/
/// tag              := /[\w][\w.-]{0,127}/
/// ```
///
/// The first path element is the registry when it contains `.` or `:`, is `localhost`,
/// or has an uppercase letter; otherwise the registry is `docker.io`. `index.docker.io`
/// becomes `docker.io`, and single-element Docker Hub repositories gain `library/`.
public struct ImageReference: Sendable, Hashable, CustomStringConvertible, LosslessStringConvertible {
    /// The registry host, with port if one was given (`docker.io`, `localhost:5000`).
    public let registry: String
    /// The repository path within the registry (`library/alpine`).
    public let repository: String
    /// The tag, if one was given.
    public let tag: String?
    /// The digest, if one was given.
    public let digest: OCIDigest?

    /// The registry assumed when a reference names none.
    public static let defaultRegistry = "docker.io"
    /// The tag assumed when a reference names neither tag nor digest.
    public static let defaultTag = "latest"
    /// The longest repository name (registry included) the distribution grammar allows.
    public static let maximumNameLength = 255
    /// The longest input the parser considers at all.
    static let maximumInputLength = 512

    /// Parses and normalises a reference.
    public init(parsing text: String) throws(ImageReferenceError) {
        guard !text.isEmpty else { throw .empty }
        guard text.utf8.count <= Self.maximumInputLength else {
            throw .tooLong(length: text.utf8.count, limit: Self.maximumInputLength)
        }
        var remainder = Substring(text)
        var digest: OCIDigest?
        if let at = remainder.firstIndex(of: "@") {
            do {
                digest = try OCIDigest(parsing: String(remainder[remainder.index(after: at)...]))
            } catch {
                throw .invalidDigest(error)
            }
            remainder = remainder[..<at]
        }
        var tag: String?
        let lastSlash = remainder.lastIndex(of: "/") ?? remainder.startIndex
        if let colon = remainder[lastSlash...].lastIndex(of: ":") {
            let candidate = String(remainder[remainder.index(after: colon)...])
            try Self.validateTag(candidate)
            tag = candidate
            remainder = remainder[..<colon]
        }
        let (registry, repository) = try Self.splitAndValidateName(String(remainder))
        self.registry = registry
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    /// Creates a reference from validated parts.
    public init(
        registry: String, repository: String, tag: String? = nil, digest: OCIDigest? = nil
    ) throws(ImageReferenceError) {
        try Self.validateRegistry(registry)
        try Self.validateRepository(repository)
        if let tag { try Self.validateTag(tag) }
        guard registry.utf8.count + 1 + repository.utf8.count <= Self.maximumNameLength else {
            throw .invalidRepository(
                repository, reason: "name longer than \(Self.maximumNameLength) characters")
        }
        self.registry = registry
        self.repository = repository
        self.tag = tag
        self.digest = digest
    }

    /// `LosslessStringConvertible` conformance: `nil` for an invalid reference.
    public init?(_ description: String) {
        guard let reference = try? ImageReference(parsing: description) else { return nil }
        self = reference
    }

    /// The fully qualified form: `docker.io/library/alpine:3.19@sha256:...`.
    public var description: String {
        var text = "\(registry)/\(repository)"
        if let tag { text += ":\(tag)" }
        if let digest { text += "@\(digest)" }
        return text
    }

    /// The short form Docker prints: Docker Hub's registry and `library/` left out.
    public var familiarDescription: String {
        var name = "\(registry)/\(repository)"
        if registry == Self.defaultRegistry {
            name =
                repository.hasPrefix("library/") && repository.split(separator: "/").count == 2
                ? String(repository.dropFirst("library/".count)) : repository
        }
        if let tag { name += ":\(tag)" }
        if let digest { name += "@\(digest)" }
        return name
    }

    /// What to ask a registry for: the digest when there is one, else the tag, else `latest`.
    public var identifier: String {
        digest?.description ?? tag ?? Self.defaultTag
    }

    /// Validates a repository path as a registry's API receives it (no registry part).
    public static func validateRepository(_ repository: String) throws(ImageReferenceError) {
        guard !repository.isEmpty else { throw .invalidRepository(repository, reason: "empty") }
        guard repository.utf8.count <= maximumNameLength else {
            throw .invalidRepository(repository, reason: "longer than \(maximumNameLength) characters")
        }
        for component in repository.split(separator: "/", omittingEmptySubsequences: false) {
            if let reason = pathComponentFault(component.utf8) {
                throw .invalidRepository(repository, reason: reason)
            }
        }
    }

    /// Validates a tag: `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`.
    public static func validateTag(_ tag: String) throws(ImageReferenceError) {
        let bytes = Array(tag.utf8)
        guard let first = bytes.first else { throw .invalidTag(tag, reason: "empty") }
        guard bytes.count <= 128 else { throw .invalidTag(tag, reason: "longer than 128 characters") }
        guard isWordCharacter(first) else {
            throw .invalidTag(tag, reason: "must start with a letter, digit or underscore")
        }
        guard bytes.allSatisfy({ isWordCharacter($0) || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "-") })
        else {
            throw .invalidTag(tag, reason: "may contain only letters, digits, '_', '.' and '-'")
        }
    }

    /// Validates a registry: a host name, IPv4 address or bracketed IPv6 address, with an
    /// optional port.
    public static func validateRegistry(_ registry: String) throws(ImageReferenceError) {
        var host = Substring(registry)
        if host.hasPrefix("[") {
            guard let close = host.firstIndex(of: "]") else {
                throw .invalidRegistry(registry, reason: "unterminated IPv6 address")
            }
            let address = host[host.index(after: host.startIndex)..<close]
            guard !address.isEmpty, address.contains(":"),
                address.utf8.allSatisfy({
                    isHexDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".")
                })
            else { throw .invalidRegistry(registry, reason: "invalid IPv6 address") }
            host = host[host.index(after: close)...]
            if !host.isEmpty {
                guard host.hasPrefix(":") else {
                    throw .invalidRegistry(registry, reason: "unexpected text after ']'")
                }
                try validatePort(host.dropFirst(), registry: registry)
            }
            return
        }
        if let colon = host.firstIndex(of: ":") {
            try validatePort(host[host.index(after: colon)...], registry: registry)
            host = host[..<colon]
        }
        guard !host.isEmpty else { throw .invalidRegistry(registry, reason: "empty host") }
        for component in host.split(separator: ".", omittingEmptySubsequences: false) {
            let bytes = component.utf8
            guard let first = bytes.first, let last = bytes.last else {
                throw .invalidRegistry(registry, reason: "empty host component")
            }
            guard isAlphanumeric(first), isAlphanumeric(last),
                bytes.allSatisfy({ isAlphanumeric($0) || $0 == UInt8(ascii: "-") })
            else {
                throw .invalidRegistry(registry, reason: "host components are letters, digits and inner '-'")
            }
        }
    }

    private static func validatePort(_ port: Substring, registry: String) throws(ImageReferenceError) {
        guard !port.isEmpty, port.utf8.count <= 5, port.utf8.allSatisfy(isDigit), let number = Int(port),
            number <= 65535
        else { throw .invalidRegistry(registry, reason: "port must be a number from 0 to 65535") }
    }

    private static func splitAndValidateName(_ name: String) throws(ImageReferenceError) -> (String, String) {
        guard !name.isEmpty else { throw .invalidRepository(name, reason: "empty") }
        var registry = defaultRegistry
        var repository = name
        if let slash = name.firstIndex(of: "/") {
            let first = name[..<slash]
            if first.contains(".") || first.contains(":") || first == "localhost"
                || first.lowercased() != first
            {
                try validateRegistry(String(first))
                registry = String(first)
                repository = String(name[name.index(after: slash)...])
            }
        }
        guard name.utf8.count <= maximumNameLength else {
            throw .invalidRepository(name, reason: "name longer than \(maximumNameLength) characters")
        }
        if repository.contains(where: { $0.isUppercase }) {
            throw .invalidRepository(repository, reason: "repository names must be lowercase")
        }
        try validateRepository(repository)
        if registry == "index.docker.io" { registry = defaultRegistry }
        if registry == defaultRegistry && !repository.contains("/") { repository = "library/" + repository }
        return (registry, repository)
    }

    /// The fault of one path component, or `nil` when it is valid.
    private static func pathComponentFault(_ bytes: Substring.UTF8View) -> String? {
        guard let first = bytes.first, let last = bytes.last else {
            return "empty path component (leading, trailing or double '/')"
        }
        guard isLowercaseAlphanumeric(first), isLowercaseAlphanumeric(last) else {
            return "path components must start and end with a lowercase letter or digit"
        }
        var index = bytes.startIndex
        while index != bytes.endIndex {
            let byte = bytes[index]
            if isLowercaseAlphanumeric(byte) {
                index = bytes.index(after: index)
                continue
            }
            // A separator run: one '.', one or two '_', or any number of '-'.
            var run = [UInt8]()
            while index != bytes.endIndex, !isLowercaseAlphanumeric(bytes[index]) {
                run.append(bytes[index])
                index = bytes.index(after: index)
            }
            let valid =
                run == [UInt8(ascii: ".")] || run == [UInt8(ascii: "_")]
                || run == [UInt8(ascii: "_"), UInt8(ascii: "_")]
                || run.allSatisfy { $0 == UInt8(ascii: "-") }
            if !valid {
                return "path components are lowercase letters and digits separated by '.', '_', '__' or '-'"
            }
        }
        return nil
    }

    private static func isDigit(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }
    private static func isLowercaseAlphanumeric(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
    }
    private static func isAlphanumeric(_ byte: UInt8) -> Bool {
        isLowercaseAlphanumeric(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
    }
    private static func isWordCharacter(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: "_")
    }
    private static func isHexDigit(_ byte: UInt8) -> Bool {
        isDigit(byte) || (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "F")).contains(byte)
    }
}
