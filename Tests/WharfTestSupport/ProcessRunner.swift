public import Foundation

/// Runs a program to completion, collecting its output without blocking a test's task.
public enum ProcessRunner {
    /// The result of a run.
    public struct Result: Sendable {
        /// The exit status.
        public var status: Int32
        /// Standard output.
        public var standardOutput: Data
        /// Standard error.
        public var standardError: Data
    }

    /// Runs `executable` and returns its result, whatever the exit status. `environment`
    /// entries are set over the test process's own environment.
    public static func launch(
        _ executable: String, _ arguments: [String], in directory: String? = nil, input: Data? = nil,
        environment: [String: String] = [:]
    ) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if !environment.isEmpty {
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        }
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let finished = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { finished.continuation.yield($0.terminationStatus) }
        // Pipes are drained by readability handlers on Foundation's own threads: a blocking
        // read on a Swift concurrency thread could starve an in-process server the child
        // is talking to.
        let (outputPipe, errorPipe, inputPipe) = try ChildProcessSpawning.exclusively {
            let pipes = (
                ChildProcessSpawning.pipe(), ChildProcessSpawning.pipe(), ChildProcessSpawning.pipe()
            )
            process.standardOutput = pipes.0
            process.standardError = pipes.1
            process.standardInput = pipes.2
            try process.run()
            return pipes
        }
        let output = PipeCollector(outputPipe.fileHandleForReading)
        let errors = PipeCollector(errorPipe.fileHandleForReading)
        if let input { inputPipe.fileHandleForWriting.write(input) }
        try inputPipe.fileHandleForWriting.close()
        var status: Int32 = -1
        for await code in finished.stream {
            status = code
            break
        }
        let standardOutput = await output.collected()
        let standardError = await errors.collected()
        return Result(status: status, standardOutput: standardOutput, standardError: standardError)
    }

    /// Runs `executable` and returns standard output; throws ``ToolFailure`` on a
    /// non-zero exit.
    public static func run(
        _ executable: String, _ arguments: [String], in directory: String? = nil
    ) async throws -> String {
        let result = try await launch(executable, arguments, in: directory)
        guard result.status == 0 else {
            let text = String(decoding: result.standardError + result.standardOutput, as: UTF8.self)
            throw ToolFailure(
                tool: (executable as NSString).lastPathComponent, status: result.status, output: text)
        }
        return String(decoding: result.standardOutput, as: UTF8.self)
    }
}

/// Collects everything a pipe delivers until end of file.
///
/// The blocking reads run on a dedicated thread: never on a Swift concurrency thread, where
/// they could starve an in-process server the child is talking to, and not through
/// readability handlers, which on Linux can miss the end of a pipe.
final class PipeCollector: Sendable {
    private let result: AsyncStream<Data>

    init(_ handle: FileHandle) {
        let (result, continuation) = AsyncStream<Data>.makeStream()
        self.result = result
        Thread.detachNewThread {
            continuation.yield(handle.readDataToEndOfFile())
            continuation.finish()
        }
    }

    /// Everything read, once the pipe reached end of file.
    func collected() async -> Data {
        for await data in result { return data }
        return Data()
    }
}

/// Runs a `/bin/sh` command line in `directory` and returns its standard output; throws
/// ``ToolFailure`` with standard error on a non-zero exit.
public func shell(_ script: String, in directory: String) async throws -> Data {
    let result = try await ProcessRunner.launch("/bin/sh", ["-c", script], in: directory)
    guard result.status == 0 else {
        throw ToolFailure(
            tool: "sh -c \(script)", status: result.status,
            output: String(decoding: result.standardError, as: UTF8.self))
    }
    return result.standardOutput
}
