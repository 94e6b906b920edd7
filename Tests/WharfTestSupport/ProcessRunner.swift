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

    /// Runs `executable` and returns its result, whatever the exit status.
    public static func launch(
        _ executable: String, _ arguments: [String], in directory: String? = nil, input: Data? = nil
    ) async throws -> Result {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let directory { process.currentDirectoryURL = URL(fileURLWithPath: directory) }
        let outputPipe = Pipe()
        let errorPipe = Pipe()
        let inputPipe = Pipe()
        process.standardOutput = outputPipe
        process.standardError = errorPipe
        process.standardInput = inputPipe
        let finished = AsyncStream<Int32>.makeStream()
        process.terminationHandler = { finished.continuation.yield($0.terminationStatus) }
        try process.run()
        if let input { inputPipe.fileHandleForWriting.write(input) }
        try inputPipe.fileHandleForWriting.close()
        // Drain both pipes concurrently so a chatty child never blocks on a full pipe.
        async let output = Task.detached { outputPipe.fileHandleForReading.readDataToEndOfFile() }.value
        async let errors = Task.detached { errorPipe.fileHandleForReading.readDataToEndOfFile() }.value
        let (standardOutput, standardError) = await (output, errors)
        var status: Int32 = -1
        for await code in finished.stream {
            status = code
            break
        }
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
