import ArgumentParser
import Foundation
import WharfContent
import WharfImage
import WharfSign

/// `wharf tree IMAGE`: the signatures, attestations, SBOMs and other referrers of an image.
struct TreeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tree",
        abstract: "Show what is attached to an image: signatures, attestations, SBOMs and other referrers.",
        discussion: "For a multi-platform index, the attachments of each platform's image are shown too.")

    @Argument(help: "The image: REGISTRY/REPO[:TAG|@DIGEST] or oci:DIR[:TAG].") var image: String
    @OptionGroup var output: OutputOptions
    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        let (store, reference) = try await ImageEndpoints(registry: registry).source(
            try ImageLocation(parsing: image))
        let root = try await store.resolve(reference)
        var nodes = [try await ImageAttachments.find(for: root, in: store)]
        if root.mediaType.isIndex {
            let bytes = try await store.fetch(root).collect(upTo: ContentGraph.defaultManifestSizeLimit)
            for child in try ContentGraph.edges(of: root, content: bytes).children
            where child.mediaType.isManifest {
                nodes.append(try await ImageAttachments.find(for: child, in: store))
            }
        }
        if output.json {
            try output.printJSON(nodes.map(TreeReport.init))
        } else {
            print(Self.render(nodes, reference: reference), terminator: "")
        }
    }

    /// The tree as text: the image, then each attachment kind with its entries.
    static func render(_ nodes: [ImageAttachments], reference: String) -> String {
        var lines: [String] = []
        for (index, node) in nodes.enumerated() {
            let platform = node.image.platform.map { " (\($0))" } ?? ""
            lines.append(index == 0 ? "\(node.image.digest) \(reference)" : "\(node.image.digest)\(platform)")
            var groups: [(String, [String])] = []
            if let signatures = node.signatures {
                groups.append(("signatures: \(signatures.tag)", signatures.layers.map(\.digest.description)))
            }
            if let attestations = node.attestations {
                groups.append(
                    (
                        "attestations: \(attestations.tag)",
                        attestations.layers.map { "\($0.digest) \($0.annotations?["predicateType"] ?? "")" }
                    ))
            }
            if let sbom = node.sbom {
                groups.append(("sbom: \(sbom.tag)", sbom.layers.map { "\($0.digest) \($0.mediaType)" }))
            }
            if !node.referrers.isEmpty {
                groups.append(
                    (
                        "referrers",
                        node.referrers.map {
                            "\($0.digest) \($0.artifactType?.rawValue ?? $0.mediaType.rawValue)"
                        }
                    ))
            }
            if groups.isEmpty { lines.append("└── (nothing attached)") }
            for (groupIndex, (title, entries)) in groups.enumerated() {
                let lastGroup = groupIndex == groups.count - 1
                lines.append((lastGroup ? "└── " : "├── ") + title)
                for (entryIndex, entry) in entries.enumerated() {
                    lines.append(
                        (lastGroup ? "    " : "│   ") + (entryIndex == entries.count - 1 ? "└── " : "├── ")
                            + entry)
                }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}

/// What `wharf tree --json` prints per image.
struct TreeReport: Encodable {
    struct Tagged: Encodable {
        var tag: String
        var manifest: String
        var layers: [Layer]
    }
    struct Layer: Encodable {
        var digest: String
        var mediaType: String
        var predicateType: String?
    }
    struct Referrer: Encodable {
        var digest: String
        var artifactType: String?
    }
    var image: String
    var signatures: Tagged?
    var attestations: Tagged?
    var sbom: Tagged?
    var referrers: [Referrer]

    init(_ node: ImageAttachments) {
        func tagged(_ image: ImageAttachments.TaggedImage?) -> Tagged? {
            image.map {
                Tagged(
                    tag: $0.tag, manifest: $0.manifest.digest.description,
                    layers: $0.layers.map {
                        Layer(
                            digest: $0.digest.description, mediaType: $0.mediaType.rawValue,
                            predicateType: $0.annotations?["predicateType"])
                    })
            }
        }
        image = node.image.digest.description
        signatures = tagged(node.signatures)
        attestations = tagged(node.attestations)
        sbom = tagged(node.sbom)
        referrers = node.referrers.map {
            Referrer(digest: $0.digest.description, artifactType: $0.artifactType?.rawValue)
        }
    }
}
