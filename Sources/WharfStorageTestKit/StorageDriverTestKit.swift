import Foundation
import NIOCore
import WharfContent
public import WharfStorage

/// The contract of `WharfStorage`'s `StorageDriver`, as executable checks a driver runs against itself.
///
/// Wharf's own drivers run every check in their test suites; the author of a new driver
/// does the same, from any test framework:
///
/// ```swift
/// @Test(arguments: StorageDriverTestKit.checks)
/// func myDriverConforms(_ check: StorageDriverTestKit.Check) async throws {
///     try await check.run(on: MyDriver(bucket: freshBucket()))
/// }
/// ```
///
/// Each check needs a fresh, empty driver and throws a ``StorageDriverCheckFailure`` that
/// says what was expected when the driver falls short.
public enum StorageDriverTestKit {
    /// One named check of the contract.
    public struct Check: Sendable, CustomStringConvertible {
        /// What the check proves, in a sentence.
        public let name: String
        let body: @Sendable (any StorageDriver) async throws -> Void

        /// Runs the check on `driver`, which must be empty.
        public func run(on driver: any StorageDriver) async throws {
            try await body(driver)
        }

        /// The check's name.
        public var description: String { name }
    }

    /// Every check of the contract.
    public static let checks: [Check] =
        ContentChecks.all + ReaderWriterChecks.all + DirectoryChecks.all + WalkChecks.all
        + ConcurrencyChecks.all
}

/// A driver did not do what the contract says.
public struct StorageDriverCheckFailure: Error, CustomStringConvertible {
    /// What was expected, and what happened instead.
    public let message: String

    /// The failure's message.
    public var description: String { message }
}

// MARK: - Helpers shared by the checks

func expect(_ condition: Bool, _ message: @autoclosure () -> String) throws {
    if !condition { throw StorageDriverCheckFailure(message: message()) }
}

func expectError(
    _ description: String, _ matches: (any Error) -> Bool, _ operation: () async throws -> Void
) async throws {
    do {
        try await operation()
    } catch {
        if matches(error) { return }
        throw StorageDriverCheckFailure(message: "expected \(description), got \(error)")
    }
    throw StorageDriverCheckFailure(message: "expected \(description), but the operation succeeded")
}

func isNotFound(_ error: any Error) -> Bool {
    if case StorageError.notFound = error { return true }
    return false
}

func path(_ string: String) throws -> StoragePath { try StoragePath(string) }

func bytes(_ count: Int, seed: UInt8 = 0) -> [UInt8] {
    (0..<count).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ Int(seed)) }
}

/// Bytes without a short period (a SplitMix64 stream): a block written at the wrong offset,
/// twice or not at all shows up, which a pattern that repeats every few bytes would hide.
func unpatternedBytes(_ count: Int, seed: UInt64) -> [UInt8] {
    var state = seed
    var result: [UInt8] = []
    result.reserveCapacity(count + 8)
    while result.count < count {
        state &+= 0x9E37_79B9_7F4A_7C15
        var mixed = (state ^ (state >> 30)) &* 0xBF58_476D_1CE4_E5B9
        mixed = (mixed ^ (mixed >> 27)) &* 0x94D0_49BB_1331_11EB
        mixed ^= mixed >> 31
        withUnsafeBytes(of: mixed) { result += $0 }
    }
    return Array(result.prefix(count))
}

func readAll(_ driver: any StorageDriver, _ path: StoragePath, offset: Int64 = 0) async throws -> [UInt8] {
    var result: [UInt8] = []
    for try await chunk in try await driver.reader(path, offset: offset) { result += chunk.readableBytesView }
    return result
}
