public import WharfContent

extension Platform {
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
}

extension ImageIndex {
    /// The manifest of the index that best fits `platform` (by default the host's): an
    /// exact match first, then the closest compatible variant; `nil` when none fits.
    public func manifest(for platform: Platform = .host) -> Descriptor? {
        platform.bestMatch(in: manifests)
    }
}
