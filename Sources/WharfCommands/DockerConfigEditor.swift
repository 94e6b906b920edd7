import Foundation
import WharfClient

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Edits the `auths` of a Docker config.json, keeping every other key as it was, and
/// writes it atomically with mode 0600 (it holds secrets).
struct DockerConfigEditor {
    let path: String

    func store(_ credentials: RegistryCredentials, for host: String) throws {
        var object = try load()
        var auths = object["auths"] as? [String: Any] ?? [:]
        var entry = auths[host] as? [String: Any] ?? [:]
        entry["auth"] = Data("\(credentials.username):\(credentials.password)".utf8).base64EncodedString()
        auths[host] = entry
        object["auths"] = auths
        try save(object)
    }

    /// Removes `host`'s entry; returns whether there was one.
    func remove(_ host: String) throws -> Bool {
        var object = try load()
        guard var auths = object["auths"] as? [String: Any], auths.removeValue(forKey: host) != nil else {
            return false
        }
        object["auths"] = auths
        try save(object)
        return true
    }

    private func load() throws -> [String: Any] {
        guard FileManager.default.fileExists(atPath: path) else { return [:] }
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        if data.isEmpty { return [:] }
        guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
            throw CommandError("\(path) is not a JSON object")
        }
        return object
    }

    private func save(_ object: [String: Any]) throws {
        let data = try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])
        let directory = (path as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(
            atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        let temporary = path + ".tmp-\(UUID().uuidString.prefix(8))"
        guard
            FileManager.default.createFile(
                atPath: temporary, contents: data, attributes: [.posixPermissions: 0o600])
        else { throw CommandError("cannot write \(temporary)") }
        // rename(2) replaces an existing file atomically, or creates it.
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw CommandError("cannot replace \(path): \(reason)")
        }
    }
}
