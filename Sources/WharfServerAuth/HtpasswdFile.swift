import CBcrypt
import Foundation
import NIOPosix

/// Users and bcrypt password hashes in Apache's htpasswd format (`htpasswd -B`), as
/// Distribution's htpasswd authentication reads them.
///
/// Only bcrypt entries (`$2y$`, `$2b$`, `$2a$`) are accepted: a file with any other hash
/// fails to load, naming the line, rather than leaving a user silently unable to log in.
public struct HtpasswdFile: Sendable {
    /// An htpasswd file that cannot be used.
    public struct FormatError: Error, Sendable, CustomStringConvertible {
        /// The 1-based line.
        public var line: Int
        /// What is wrong with it.
        public var reason: String
        /// `line N: reason`.
        public var description: String { "htpasswd line \(line): \(reason)" }
    }

    private let hashes: [String: String]
    /// A salt of the file's cost for users that do not exist, so that a wrong name costs
    /// as much time as a wrong password and does not reveal which names exist.
    private let decoySalt: String

    /// The user names, sorted.
    public var users: [String] { hashes.keys.sorted() }

    /// Parses the contents of an htpasswd file.
    public init(contents: String) throws {
        var hashes: [String: String] = [:]
        for (index, rawLine) in contents.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
        {
            let line = rawLine.trimmingCharacters(in: .whitespacesAndNewlines)
            if line.isEmpty || line.hasPrefix("#") { continue }
            guard let colon = line.firstIndex(of: ":") else {
                throw FormatError(line: index + 1, reason: "expected USER:HASH")
            }
            let user = String(line[..<colon])
            let hash = String(line[line.index(after: colon)...])
            guard !user.isEmpty else { throw FormatError(line: index + 1, reason: "empty user name") }
            guard Self.isBcrypt(hash) else {
                throw FormatError(
                    line: index + 1,
                    reason: "user \"\(user)\" does not have a bcrypt hash; create entries with `htpasswd -B`")
            }
            guard hashes[user] == nil else {
                throw FormatError(line: index + 1, reason: "user \"\(user)\" appears twice")
            }
            hashes[user] = hash
        }
        self.hashes = hashes
        let cost = hashes.values.map { $0.dropFirst(4).prefix(2) }.max().map(String.init) ?? "10"
        decoySalt = "$2b$\(cost)$" + String(repeating: "N", count: 22)
    }

    /// Reads and parses an htpasswd file.
    public init(contentsOf path: String) throws {
        try self.init(contents: String(contentsOfFile: path, encoding: .utf8))
    }

    /// Whether `password` is `user`'s password. Runs the (deliberately slow) bcrypt on the
    /// NIO thread pool, and takes as long for an unknown user as for a known one.
    public func verify(user: String, password: String) async -> Bool {
        let stored = hashes[user]
        let matches = try? await NIOThreadPool.singleton.runIfActive {
            Self.check(password: password, against: stored ?? decoySalt)
        }
        return stored != nil && matches == true
    }

    /// Computes bcrypt with the stored salt and compares every byte, whatever differs.
    private static func check(password: String, against stored: String) -> Bool {
        // $2y$ is PHP's name for the same algorithm as $2b$, which the C code knows.
        let normalized = stored.hasPrefix("$2y$") ? "$2b$" + stored.dropFirst(4) : stored
        var computed = [CChar](repeating: 0, count: 128)
        guard c_hb_bcrypt_hashpass(password, normalized, &computed, computed.count) == 0 else { return false }
        let computedBytes = computed.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }
        return constantTimeEqual(computedBytes, Array(normalized.utf8))
    }

    private static func isBcrypt(_ hash: String) -> Bool {
        let bytes = Array(hash.utf8)
        guard bytes.count == 60, hash.hasPrefix("$2y$") || hash.hasPrefix("$2b$") || hash.hasPrefix("$2a$")
        else {
            return false
        }
        guard let cost = Int(String(decoding: bytes[4..<6], as: UTF8.self)), (4...31).contains(cost),
            bytes[6] == UInt8(ascii: "$")
        else { return false }
        return true
    }
}

/// Compares two byte strings in time that depends only on their lengths.
func constantTimeEqual(_ lhs: [UInt8], _ rhs: [UInt8]) -> Bool {
    guard lhs.count == rhs.count else { return false }
    var difference: UInt8 = 0
    for index in lhs.indices { difference |= lhs[index] ^ rhs[index] }
    return difference == 0
}
