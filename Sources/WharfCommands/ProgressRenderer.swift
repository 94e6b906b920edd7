import Foundation
import WharfContent

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Shows a copy's progress on standard error: one updating line on a terminal, plain
/// event lines otherwise (logs, CI), nothing when disabled.
struct ProgressRenderer: Sendable {
    let enabled: Bool
    let isTerminal = isatty(STDERR_FILENO) == 1

    func render(_ events: AsyncStream<CopyEvent>) async {
        var total: [Digest: Int64] = [:]
        var moved: [Digest: Int64] = [:]
        var finished = 0
        var lastDraw = ContinuousClock.now - .seconds(1)
        for await event in events {
            guard enabled else { continue }
            switch event {
            case .started(let descriptor):
                total[descriptor.digest] = descriptor.size
                if !isTerminal { line("copying \(Self.short(descriptor)) (\(Self.bytes(descriptor.size)))") }
            case .transferred(let descriptor, let bytes):
                moved[descriptor.digest] = bytes
            case .completed(let descriptor):
                finished += 1
                moved[descriptor.digest] = descriptor.size
                if !isTerminal { line("copied \(Self.short(descriptor))") }
            case .skipped(let descriptor):
                finished += 1
                if !isTerminal { line("exists \(Self.short(descriptor))") }
            case .mounted(let descriptor, let origin):
                finished += 1
                if !isTerminal { line("mounted \(Self.short(descriptor)) from \(origin)") }
            case .done:
                if isTerminal { write("\r\u{1B}[K") }
                continue
            }
            if isTerminal, ContinuousClock.now - lastDraw > .milliseconds(100) {
                lastDraw = .now
                let done = moved.values.reduce(0, +)
                let all = total.values.reduce(0, +)
                write("\r\u{1B}[K\(finished) done, \(Self.bytes(done)) of \(Self.bytes(all)) moving")
            }
        }
    }

    private func line(_ text: String) { write(text + "\n") }

    private func write(_ text: String) {
        FileHandle.standardError.write(Data(text.utf8))
    }

    static func short(_ descriptor: Descriptor) -> String {
        "\(descriptor.digest.algorithm.rawValue):\(descriptor.digest.encoded.prefix(12))"
    }

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
