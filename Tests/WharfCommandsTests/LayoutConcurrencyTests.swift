import Foundation
import Testing
import WharfImage
import WharfTestSupport

@Suite("OCI layouts shared by several processes", .tags(.interop), .enabled(if: ExternalTool.umoci.shouldRun))
struct LayoutConcurrencyTests {
    @Test("two wharf processes tagging one layout at the same time lose no tag")
    func concurrentTaggingKeepsEveryTag() async throws {
        let directory = try TemporaryDirectory()
        let layout = directory.appending("layout")
        try await RealImageFixture.makeUmociLayout(at: layout, workingDirectory: directory.path)
        let before = try await OCILayoutStore(root: layout, create: false).tags()
        let wharf = try WharfBinary.path
        // Each side is one process after another; the two sides run at the same time, so
        // their read-modify-write cycles of index.json interleave.
        func side(_ name: String) -> String {
            "for i in $(seq 1 20); do '\(wharf)' tag 'oci:\(layout):v2' \(name)$i >/dev/null || exit 1; done"
        }
        let workdir = directory.path
        async let a = shell(side("a"), in: workdir)
        async let b = shell(side("b"), in: workdir)
        _ = try await (a, b)
        let after = try await OCILayoutStore(root: layout, create: false).tags()
        let expected = Set(before + (1...20).flatMap { ["a\($0)", "b\($0)"] })
        #expect(Set(after) == expected, "missing: \(expected.subtracting(after).sorted())")
    }
}
