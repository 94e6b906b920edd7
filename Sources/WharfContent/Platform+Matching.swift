/// How platforms are compared: containerd's normalisation, exact matching, and the
/// variants a platform can run. Pure value logic, so that a copy can pick an index's image
/// for a platform without the image codecs.
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

    /// The descriptor of `candidates` that best fits this platform: an exact match first,
    /// then the closest compatible variant; `nil` when none fits. Candidates without a
    /// platform never match.
    public func bestMatch(in candidates: [Descriptor]) -> Descriptor? {
        for platform in compatiblePlatforms {
            if let match = candidates.first(where: { $0.platform.map(platform.matches) ?? false }) {
                return match
            }
        }
        return nil
    }
}

/// Which images of a multi-platform index an operation takes.
public enum PlatformSelection: Sendable, Hashable {
    /// The whole index and every image in it.
    case all
    /// Only the image for this platform (the index itself is not taken), as skopeo and
    /// crane do by default for the host platform.
    case platform(Platform)
}
