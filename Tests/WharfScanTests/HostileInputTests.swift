import Foundation
import NIOCore
import Testing
import WharfContent
import WharfScan
import WharfTestSupport

@Suite("Hostile layer bytes")
struct HostileInputTests {
    @Test(
        "1,000 randomly damaged gzip and tar layers end in a clear error or a result, never a crash or a hang"
    )
    func damagedLayers() async throws {
        let directory = try TemporaryDirectory()
        let root = directory.appending("root")
        try FileManager.default.createDirectory(
            atPath: root + "/var/lib/dpkg", withIntermediateDirectories: true)
        try Data("Package: a\nStatus: install ok installed\nVersion: 1.0\n\n".utf8).write(
            to: URL(fileURLWithPath: root + "/var/lib/dpkg/status"))
        try Data(repeating: 0x5A, count: 40_000).write(to: URL(fileURLWithPath: root + "/blob"))
        let tar = try await shell("tar --format=pax -cf - .", in: root)
        try tar.write(to: URL(fileURLWithPath: directory.appending("layer.tar")))
        let gzip = try await shell("gzip -c layer.tar", in: directory.path)
        var generator = SeededGenerator(seed: 0xBAD)
        var outcomes: [String: Int] = [:]
        for round in 0..<1000 {
            var bytes = round.isMultiple(of: 2) ? tar : gzip
            // Flip, drop or truncate: the damage a network or an attacker does.
            for _ in 0..<Int.random(in: 1...8, using: &generator) {
                let position = Int.random(in: 0..<bytes.count, using: &generator)
                switch Int.random(in: 0..<3, using: &generator) {
                case 0: bytes[position] = UInt8.random(in: 0...255, using: &generator)
                case 1: bytes.remove(at: position)
                default: bytes = bytes.prefix(position)
                }
                if bytes.isEmpty { break }
            }
            let layer = round.isMultiple(of: 2) ? stream(bytes) : stream(bytes).gunzipped(limit: 10 << 20)
            var filesystem = LayeredFilesystem()
            do {
                try await filesystem.apply(
                    layer: LayerOrigin(index: 0, digest: DigestHasher.digest(of: Array(bytes)), diffID: nil),
                    archive: TarReader(layer), capture: { _ in 1 << 20 }, findGoBinaries: true)
                _ = try DpkgCataloger().packages(in: CatalogContext(filesystem: filesystem, os: nil))
                outcomes["read", default: 0] += 1
            } catch is ScanError {
                outcomes["clear error", default: 0] += 1
            }
        }
        #expect(outcomes["clear error", default: 0] > 100, "\(outcomes)")
        #expect(outcomes.values.reduce(0, +) == 1000)
    }
}
