public import WharfContent

/// The contract of `WharfContent`'s content stores, as executable checks a store runs
/// against itself: fetch, exists, push, resolve and tag, their not-found errors, digest and
/// size verification, and the optional capabilities.
///
/// Wharf's own stores (`MemoryStore`, `OCILayoutStore`, server storage's repositories,
/// remote repositories against Wharf and CNCF Distribution) run every check in their test
/// suites; the author of a new store does the same, from any test framework:
///
/// ```swift
/// @Test(arguments: ContentStoreTestKit.checks(including: [.delete, .tagListing]))
/// func myStoreConforms(_ check: ContentStoreTestKit.Check) async throws {
///     try await check.run(on: MyStore(directory: freshDirectory()))
/// }
/// ```
///
/// Each check needs a fresh, empty store and throws a ``ContentStoreCheckFailure`` that
/// says what was expected when the store falls short.
public enum ContentStoreTestKit {
    /// An optional capability a store may offer beside the core protocols.
    public enum Capability: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
        /// `ContentDeleter`.
        case delete
        /// `ReferrerLister`.
        case referrers
        /// `TagLister`.
        case tagListing
        /// `ReferencePusher`.
        case referencePush

        /// The capability's name.
        public var description: String { rawValue }
    }

    /// One named check of the contract.
    public struct Check: Sendable, CustomStringConvertible {
        /// What the check proves, in a sentence.
        public let name: String
        /// The optional capability the check is about; `nil` for the core contract.
        public let capability: Capability?
        let body: @Sendable (any ContentTarget) async throws -> Void

        /// Runs the check on `store`, which must be empty.
        public func run(on store: any ContentTarget) async throws {
            try await body(store)
        }

        /// The check's name.
        public var description: String { name }
    }

    /// The checks of the core contract, which every store passes.
    public static let checks: [Check] =
        RoundTripChecks.all + VerificationChecks.all + ReferenceChecks.all

    /// The core checks and those of `capabilities`; a store that lacks a capability it is
    /// checked for fails that capability's checks.
    public static func checks(including capabilities: Set<Capability>) -> [Check] {
        checks + CapabilityChecks.all.filter { check in check.capability.map(capabilities.contains) ?? false }
    }
}

/// A store did not do what the contract says.
public struct ContentStoreCheckFailure: Error, CustomStringConvertible {
    /// What was expected, and what happened instead.
    public let message: String

    /// The failure's message.
    public var description: String { message }
}
