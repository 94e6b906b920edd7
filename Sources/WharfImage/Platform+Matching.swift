public import WharfContent

extension Platform {
    /// The platform of the running process, as images name it.
    public static var host: Platform {
        #if os(Linux)
            let os = "linux"
        #elseif os(macOS) || os(iOS)
            let os = "darwin"
        #elseif os(Windows)
            let os = "windows"
        #else
            let os = "unknown"
        #endif
        #if arch(x86_64)
            return Platform(os: os, architecture: "amd64")
        #elseif arch(arm64)
            return Platform(os: os, architecture: "arm64", variant: "v8")
        #elseif arch(arm)
            return Platform(os: os, architecture: "arm", variant: "v7")
        #elseif arch(i386)
            return Platform(os: os, architecture: "386")
        #elseif arch(s390x)
            return Platform(os: os, architecture: "s390x")
        #elseif arch(powerpc64le)
            return Platform(os: os, architecture: "ppc64le")
        #elseif arch(riscv64)
            return Platform(os: os, architecture: "riscv64")
        #else
            return Platform(os: os, architecture: "unknown")
        #endif
    }

    /// Parses `os/architecture[/variant]`, the form of `--platform` flags; the result is
    /// normalised.
    public init(parsing text: String) throws(ImageSpecError) {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard (2...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty && $0.utf8.count <= 64 }) else {
            throw ImageSpecError(
                field: "platform", reason: "expected os/architecture[/variant], got \"\(text)\"")
        }
        guard
            parts.allSatisfy({
                $0.utf8.allSatisfy(Self.isPlatformCharacter) && Self.isAlphanumeric($0.utf8.first)
            })
        else {
            throw ImageSpecError(
                field: "platform",
                reason: "\"\(text)\": each part is a letter or digit followed by [A-Za-z0-9._-]")
        }
        self =
            Platform(os: parts[0], architecture: parts[1], variant: parts.count == 3 ? parts[2] : nil)
            .normalized
    }

    private static func isPlatformCharacter(_ byte: UInt8) -> Bool {
        isAlphanumeric(byte) || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_")
            || byte == UInt8(ascii: "-")
    }

    private static func isAlphanumeric(_ byte: UInt8?) -> Bool {
        guard let byte else { return false }
        return (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte)
            || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
    }

    /// The platform in canonical spelling, as containerd normalises it: lowercase OS,
    /// Go's architecture names (`x86_64` is `amd64`, `aarch64` is `arm64`, `armhf` is
    /// `arm/v7`), and the default variant made explicit (`arm64` is `arm64/v8`, `arm` is
    /// `arm/v7`), so that equal platforms compare equal.
    public var normalized: Platform {
        var result = self
        result.os = os.lowercased()
        if result.os == "macos" { result.os = "darwin" }
        var variant = self.variant?.lowercased()
        if variant?.isEmpty == true { variant = nil }
        switch architecture.lowercased() {
        case "i386", "i686", "386":
            result.architecture = "386"
        case "x86_64", "x86-64", "amd64":
            result.architecture = "amd64"
            if variant == "v1" { variant = nil }
        case "aarch64", "arm64":
            result.architecture = "arm64"
            switch variant {
            case nil, "8", "v8", "v8.0": variant = "v8"
            default: break
            }
        case "armhf":
            result.architecture = "arm"
            variant = "v7"
        case "armel":
            result.architecture = "arm"
            variant = "v6"
        case "arm":
            result.architecture = "arm"
            switch variant {
            case nil, "7", "v7": variant = "v7"
            case "5", "6", "8": variant = "v\(variant ?? "")"
            default: break
            }
        default:
            result.architecture = architecture.lowercased()
        }
        result.variant = variant
        return result
    }

    /// Whether `candidate` names the same platform (OS, architecture and variant, after
    /// normalisation; an `os.version` is compared only when both sides give one).
    public func matches(_ candidate: Platform) -> Bool {
        let wanted = normalized
        let offered = candidate.normalized
        guard wanted.os == offered.os, wanted.architecture == offered.architecture,
            wanted.variant == offered.variant
        else { return false }
        if let want = wanted.osVersion, let offer = offered.osVersion { return want == offer }
        return true
    }

    /// Platforms this one can run, best first: itself, then older variants of the same
    /// architecture (an `arm/v7` host runs `arm/v6` and `arm/v5` images).
    public var compatiblePlatforms: [Platform] {
        let base = normalized
        guard base.architecture == "arm", let variant = base.variant,
            let level = Int(variant.dropFirst()), variant.hasPrefix("v")
        else { return [base] }
        return stride(from: level, through: 5, by: -1).map { lower in
            var platform = base
            platform.variant = "v\(lower)"
            return platform
        }
    }
}

extension ImageIndex {
    /// The manifest of the index that best fits `platform` (by default the host's): an
    /// exact match first, then the closest compatible variant; `nil` when none fits.
    public func manifest(for platform: Platform = .host) -> Descriptor? {
        for candidate in platform.compatiblePlatforms {
            if let match = manifests.first(where: { $0.platform.map(candidate.matches) ?? false }) {
                return match
            }
        }
        return nil
    }
}
