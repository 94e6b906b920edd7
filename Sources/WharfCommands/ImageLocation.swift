import Foundation
import WharfImage

/// Where an image lives, as a command-line argument names it, in skopeo's transport
/// style: `oci:DIR[:TAG]` or `oci:DIR@DIGEST` for an OCI image layout, and a registry
/// reference (`registry.example.com/team/app:v1`, optionally `docker://`-prefixed) for
/// everything else.
enum ImageLocation: Equatable {
    case layout(path: String, reference: String?)
    case registry(ImageReference)

    init(parsing text: String) throws {
        if text.hasPrefix("oci:") {
            let rest = String(text.dropFirst(4))
            guard !rest.isEmpty else { throw CommandError("oci: needs a directory: oci:DIR[:TAG]") }
            if let at = rest.lastIndex(of: "@") {
                self = .layout(path: String(rest[..<at]), reference: String(rest[rest.index(after: at)...]))
            } else if let colon = rest.lastIndex(of: ":"), !rest[colon...].contains("/") {
                let tag = String(rest[rest.index(after: colon)...])
                self = .layout(path: String(rest[..<colon]), reference: tag.isEmpty ? nil : tag)
            } else {
                self = .layout(path: rest, reference: nil)
            }
            return
        }
        var name = text
        if name.hasPrefix("docker://") { name = String(name.dropFirst("docker://".count)) }
        do {
            self = .registry(try ImageReference(parsing: name))
        } catch {
            throw CommandError("\"\(text)\" is not an image reference: \(error)")
        }
    }

    /// The tag or digest the location names, if any.
    var reference: String? {
        switch self {
        case .layout(_, let reference): reference
        case .registry(let reference): reference.digest?.description ?? reference.tag
        }
    }
}

/// A command failure with a message for the user.
struct CommandError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
