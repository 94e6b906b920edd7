import Foundation
import WharfContent

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Shows a copy's progress on standard error: a bar per moving blob on a terminal, plain
/// event lines otherwise (logs, CI), nothing when disabled.
struct ProgressRenderer: Sendable {
    let enabled: Bool
    let isTerminal = isatty(STDERR_FILENO) == 1

    func render(_ events: AsyncStream<CopyEvent>) async {
        var board = ProgressBoard()
        var drawnLines = 0
        var lastDraw = ContinuousClock.now - .seconds(1)
        for await event in events {
            guard enabled else { continue }
            let finishedLine = board.apply(event)
            guard isTerminal else {
                if let line = ProgressBoard.plainLine(for: event) { write(line + "\n") }
                continue
            }
            let force = finishedLine != nil || { if case .done = event { true } else { false } }()
            guard force || ContinuousClock.now - lastDraw > .milliseconds(100) else { continue }
            lastDraw = .now
            // Up over the old bars, clear to the end of the screen, then finished lines
            // (which stay) and the current bars.
            var output = drawnLines > 0 ? "\u{1B}[\(drawnLines)A\r\u{1B}[J" : ""
            if let finishedLine { output += finishedLine + "\n" }
            let bars = { if case .done = event { [String]() } else { board.bars(width: 30) } }()
            output += bars.map { $0 + "\n" }.joined()
            drawnLines = bars.count
            write(output)
        }
    }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }
}

/// The state the progress display draws: which blobs move and how far along they are.
struct ProgressBoard {
    private var active: [(descriptor: Descriptor, bytes: Int64)] = []

    /// Applies `event`; returns the permanent line to print for a blob that finished.
    mutating func apply(_ event: CopyEvent) -> String? {
        switch event {
        case .started(let descriptor):
            active.append((descriptor, 0))
            return nil
        case .transferred(let descriptor, let bytes):
            if let index = active.firstIndex(where: { $0.descriptor.digest == descriptor.digest }) {
                active[index].bytes = bytes
            }
            return nil
        case .completed(let descriptor):
            active.removeAll { $0.descriptor.digest == descriptor.digest }
            return Self.plainLine(for: event)
        case .skipped, .mounted:
            return Self.plainLine(for: event)
        case .done:
            active.removeAll()
            return nil
        }
    }

    /// One bar per moving blob: `sha256:0123456789ab [=========>          ]  45.2 MB / 128.0 MB`.
    func bars(width: Int) -> [String] {
        active.map { entry in
            let fraction =
                entry.descriptor.size > 0 ? min(1, Double(entry.bytes) / Double(entry.descriptor.size)) : 1
            let filled = Int((fraction * Double(width)).rounded(.down))
            let bar =
                String(repeating: "=", count: filled) + (filled < width ? ">" : "")
                + String(repeating: " ", count: max(0, width - filled - 1))
            return
                "\(Self.short(entry.descriptor)) [\(bar)] \(Self.bytes(entry.bytes)) / \(Self.bytes(entry.descriptor.size))"
        }
    }

    /// The line a log gets for `event`, if any.
    static func plainLine(for event: CopyEvent) -> String? {
        switch event {
        case .started(let descriptor): "copying \(short(descriptor)) (\(bytes(descriptor.size)))"
        case .completed(let descriptor): "copied  \(short(descriptor)) (\(bytes(descriptor.size)))"
        case .skipped(let descriptor): "exists  \(short(descriptor))"
        case .mounted(let descriptor, let origin): "mounted \(short(descriptor)) from \(origin)"
        case .transferred, .done: nil
        }
    }

    static func short(_ descriptor: Descriptor) -> String {
        "\(descriptor.digest.algorithm.rawValue):\(descriptor.digest.encoded.prefix(12))"
    }

    /// Decimal units, as registries and skopeo print sizes.
    static func bytes(_ count: Int64) -> String {
        let units = ["B", "kB", "MB", "GB", "TB"]
        var value = Double(count)
        var unit = 0
        while value >= 1000, unit < units.count - 1 {
            value /= 1000
            unit += 1
        }
        return unit == 0 ? "\(count) B" : String(format: "%.1f %@", value, units[unit])
    }
}
