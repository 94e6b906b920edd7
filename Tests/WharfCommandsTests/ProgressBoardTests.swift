import Testing
import WharfContent

@testable import WharfCommands

@Suite("Progress display")
struct ProgressBoardTests {
    @Test("bars follow transfers, finished blobs leave a line, skipped and mounted blobs are listed")
    func barsAndLines() throws {
        let blob = Descriptor(mediaType: .ociLayer, bytes: [UInt8](repeating: 1, count: 2_000_000))
        let other = Descriptor(mediaType: .ociLayer, bytes: [UInt8](repeating: 2, count: 10))
        var board = ProgressBoard()
        #expect(board.apply(.started(blob)) == nil)
        #expect(board.apply(.transferred(blob, bytes: 500_000)) == nil)
        let bars = board.bars(width: 20)
        #expect(bars.count == 1)
        #expect(bars[0].hasPrefix("sha256:\(blob.digest.encoded.prefix(12)) [=====>              ]"))
        #expect(bars[0].hasSuffix("500.0 kB / 2.0 MB"))
        #expect(board.apply(.completed(blob)) == "copied  sha256:\(blob.digest.encoded.prefix(12)) (2.0 MB)")
        #expect(board.bars(width: 20).isEmpty)
        #expect(board.apply(.skipped(other))?.hasPrefix("exists  sha256:") == true)
        #expect(
            board.apply(.mounted(other, from: "team/base"))
                == "mounted sha256:\(other.digest.encoded.prefix(12)) from team/base")
        #expect(ProgressBoard.bytes(999) == "999 B")
        #expect(ProgressBoard.bytes(1_234_567_890) == "1.2 GB")
    }
}
