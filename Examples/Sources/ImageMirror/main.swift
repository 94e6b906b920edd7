// An image mirror: copies an image between registries (all platforms, digests kept),
// mounting blobs the target already has elsewhere and printing progress.
//
//     swift run ImageMirror SOURCE-REFERENCE TARGET-REFERENCE
//     swift run ImageMirror docker.io/library/alpine:3.20 127.0.0.1:5000/mirror/alpine:3.20
import Foundation
import WharfClient

let arguments = CommandLine.arguments
guard arguments.count == 3 else {
    FileHandle.standardError.write(Data("usage: ImageMirror SOURCE TARGET\n".utf8))
    exit(64)
}
let source = try ImageReference(parsing: arguments[1])
let target = try ImageReference(parsing: arguments[2])
// Credentials as Docker and podman keep them (config.json, auth.json, credential helpers).
let configuration = RegistryClientConfiguration(credentials: DockerConfigCredentials.standard())
let from = try RegistryClient(for: source, configuration: configuration).repository(for: source)
let to = try RegistryClient(for: target, configuration: configuration).repository(for: target)

let (events, reporter) = CopyProgress.makeStream()
async let copied = copyGraph(
    from: from, root: .reference(source.identifier), to: to, as: target.tag,
    options: CopyOptions(platforms: .all, progress: reporter))
for await event in events {
    if case .transferred = event { continue }  // one line per blob, not per chunk
    print(event)
}
let summary = try await copied
print("\(target.familiarDescription): \(summary.root.digest)")
