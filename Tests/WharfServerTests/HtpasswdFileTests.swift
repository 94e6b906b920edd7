import Foundation
import Testing
import WharfServer
import WharfServerAuth
import WharfTestSupport

@Suite("htpasswd files", .tags(.interop), .enabled(if: ExternalTool.htpasswd.shouldRun))
struct HtpasswdFileTests {
    @Test("entries written by `htpasswd -B` verify their own password and nothing else")
    func bcryptEntriesVerify() async throws {
        let directory = try TemporaryDirectory()
        let path = try await AuthFixture.htpasswd(
            in: directory.path, users: [("alice", "correct horse"), ("bob", "pässwörd:ü")])
        let file = try HtpasswdFile(contentsOf: path)
        #expect(file.users == ["alice", "bob"])
        #expect(try String(contentsOfFile: path, encoding: .utf8).contains("alice:$2y$05$"))
        #expect(await file.verify(user: "alice", password: "correct horse"))
        #expect(await file.verify(user: "bob", password: "pässwörd:ü"))
        #expect(!(await file.verify(user: "alice", password: "correct horse ")))
        #expect(!(await file.verify(user: "alice", password: "")))
        #expect(!(await file.verify(user: "bob", password: "correct horse")))
        #expect(!(await file.verify(user: "carol", password: "correct horse")))
    }

    @Test("non-bcrypt entries, duplicates and malformed lines fail to load, naming the line")
    func badFilesAreRejected() async throws {
        let directory = try TemporaryDirectory()
        let md5 = directory.appending("md5")
        try await ExternalTool.htpasswd.run(["-c", "-m", "-b", md5, "alice", "secret"])
        #expect {
            try HtpasswdFile(contentsOf: md5)
        } throws: { error in
            (error as? HtpasswdFile.FormatError)?.line == 1
                && "\(error)".contains("htpasswd -B")
        }
        let bcrypt = try String(
            contentsOfFile: try await AuthFixture.htpasswd(in: directory.path, users: [("bob", "pw")]),
            encoding: .utf8)
        #expect(throws: HtpasswdFile.FormatError.self) { try HtpasswdFile(contents: bcrypt + bcrypt) }
        #expect(throws: HtpasswdFile.FormatError.self) {
            try HtpasswdFile(contents: "# comment\n\nno-colon\n")
        }
        #expect(throws: HtpasswdFile.FormatError.self) {
            try HtpasswdFile(contents: ":$2y$05$" + String(repeating: "a", count: 53))
        }
        #expect(try HtpasswdFile(contents: "# only a comment\n\n").users.isEmpty)
    }
}
