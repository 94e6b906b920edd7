import ArgumentParser
import Foundation
import WharfClient
import WharfContent
import WharfImage

/// `wharf ls REPO`: a repository's tags.
struct ListTagsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ls", abstract: "List a repository's tags.")

    @Argument(help: "The repository: REGISTRY/REPO, or oci:DIR.")
    var repository: String

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let tags: [String]
        switch try ImageLocation(parsing: repository) {
        case .layout(let path, _):
            tags = try await OCILayoutStore(root: path, create: false).tags()
        case .registry(let reference):
            tags = try await registry.repository(reference).tags()
        }
        if output.json { try output.printJSON(tags) } else { tags.forEach { print($0) } }
    }
}

/// `wharf catalog REGISTRY`: the repositories of a registry.
struct CatalogCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "catalog", abstract: "List a registry's repositories.")

    @Argument(help: "The registry host, e.g. 127.0.0.1:5000.")
    var host: String

    @OptionGroup var registry: RegistryOptions
    @OptionGroup var output: OutputOptions

    func run() async throws {
        let names = try await registry.client(for: host).catalog()
        if output.json { try output.printJSON(names) } else { names.forEach { print($0) } }
    }
}

/// `wharf tag REF NEWTAG`: another tag for an image, in the same repository.
struct TagCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tag", abstract: "Tag an image again in its repository.")

    @Argument(help: "The image: REGISTRY/REPO[:TAG|@DIGEST] or oci:DIR[:TAG].")
    var image: String

    @Argument(help: "The new tag.")
    var tag: String

    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        do {
            try ImageReference.validateTag(tag)
        } catch {
            throw ValidationError("invalid tag \"\(tag)\": \(error)")
        }
        let location = try ImageLocation(parsing: image)
        let (store, reference) = try await ImageEndpoints(registry: registry).source(location)
        let descriptor = try await store.resolve(reference)
        guard let tagger = store as? any ReferenceTagger else {
            throw CommandError("\(image) cannot be tagged")
        }
        try await tagger.tag(descriptor, as: tag)
        print(descriptor.digest)
    }
}

/// `wharf delete REF`: deletes a manifest (and so every tag pointing at it).
struct DeleteCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Delete an image's manifest from a registry or layout.")

    @Argument(help: "The image: REGISTRY/REPO[:TAG|@DIGEST] or oci:DIR[:TAG].")
    var image: String

    @OptionGroup var registry: RegistryOptions

    func run() async throws {
        let (store, reference) = try await ImageEndpoints(registry: registry).source(
            try ImageLocation(parsing: image))
        let descriptor = try await store.resolve(reference)
        guard let deleter = store as? any ContentDeleter else {
            throw CommandError("\(image) does not support deletion")
        }
        try await deleter.delete(descriptor)
        print(descriptor.digest)
    }
}
