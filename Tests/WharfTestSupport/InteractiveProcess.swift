public import Foundation

/// A child process driven step by step: feed its standard input, read its output line by
/// line as it appears, and kill it at a chosen moment.
public final class InteractiveProcess: @unchecked Sendable {
    private let process = Process()
    private let input: Pipe
    private let output: Pipe
    private let exited: AsyncStream<Int32>
    private let exitContinuation: AsyncStream<Int32>.Continuation
    /// Standard output (and standard error, when merged), line by line, as the child
    /// writes it.
    public let lines: AsyncStream<String>

    /// Starts `executable` with `arguments`; `mergingStandardError` sends its standard
    /// error (where servers log) to ``lines`` too.
    public init(_ executable: String, _ arguments: [String], mergingStandardError: Bool = false) throws {
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        (input, output) = ChildProcessSpawning.exclusively {
            (ChildProcessSpawning.pipe(), ChildProcessSpawning.pipe())
        }
        process.standardInput = input
        process.standardOutput = output
        process.standardError = mergingStandardError ? output : FileHandle.nullDevice
        (exited, exitContinuation) = AsyncStream<Int32>.makeStream()
        lines = LineBuffer().lines(of: output.fileHandleForReading)
        let exitContinuation = self.exitContinuation
        process.terminationHandler = { exitContinuation.yield($0.terminationStatus) }
        try ChildProcessSpawning.exclusively { try process.run() }
    }

    deinit {
        // A test that fails early must not leave its child running.
        if process.isRunning { Foundation.kill(process.processIdentifier, SIGKILL) }
    }

    /// Writes bytes to the child's standard input.
    public func write(_ data: Data) throws {
        try input.fileHandleForWriting.write(contentsOf: data)
    }

    /// Closes the child's standard input (end of file).
    public func closeInput() throws {
        try input.fileHandleForWriting.close()
    }

    /// Waits for the first output line satisfying `predicate`; `nil` if output ends first.
    public func waitForLine(where predicate: (String) -> Bool) async -> String? {
        for await line in lines where predicate(line) { return line }
        return nil
    }

    /// Kills the child with SIGKILL, as a crash or an out-of-memory kill would, and waits
    /// for it to be gone.
    public func kill() async {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        _ = await waitForExit()
    }

    /// Asks the child to stop with SIGTERM, as a service manager would.
    public func terminate() {
        guard process.isRunning else { return }
        Foundation.kill(process.processIdentifier, SIGTERM)
    }

    /// Waits for the child to exit and returns its status.
    public func waitForExit() async -> Int32 {
        if !process.isRunning { return process.terminationStatus }
        for await status in exited { return status }
        return process.terminationStatus
    }
}
