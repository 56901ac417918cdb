import Foundation

/// File-system permissions of a store: notes about children must not be readable by other users.
///
/// The directory is 0700 and every database file 0600. The database file is created here with
/// 0600 before SQLite sees it, because SQLite gives the -wal and -shm files it creates later the
/// same permissions as the database file; `restrictFiles` tightens anything left looser anyway.
/// The process umask is never changed: it is process-wide and other threads may be creating files.
enum StoreFiles {
    static func prepareDirectory(_ directory: URL) throws(StoreError) {
        let path = directory.path
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else {
                throw StoreError(.cannotOpen, "cannot create the store at \(path): a file of that name is in the way")
            }
            // Tighten a directory that is empty or already holds a store; leave any other existing
            // directory (someone's `--store ~`, say) as its owner set it.
            let holdsStore = FileManager.default.fileExists(atPath: directory.appendingPathComponent("store.sqlite").path)
            let isEmpty = (try? FileManager.default.contentsOfDirectory(atPath: path).isEmpty) ?? false
            guard holdsStore || isEmpty else { return }
        } else {
            do {
                try FileManager.default.createDirectory(
                    at: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw StoreError(.cannotOpen, "cannot create the store directory \(path): \(reason(error))")
            }
        }
        guard chmod(path, 0o700) == 0 else {
            throw StoreError(.cannotOpen, "cannot restrict the store directory \(path) to its owner: \(String(cString: strerror(errno)))")
        }
    }

    static func prepareDatabaseFile(_ url: URL) throws(StoreError) {
        let descriptor = open(url.path, O_CREAT | O_RDWR | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            throw StoreError(.cannotOpen, "cannot create the store database \(url.path): \(String(cString: strerror(errno)))")
        }
        _ = fchmod(descriptor, 0o600)
        close(descriptor)
    }

    /// The database file and its companions, whether or not they exist right now.
    static func databaseFiles(of url: URL) -> [String] {
        [url.path, url.path + "-wal", url.path + "-shm"]
    }

    static func restrictFiles(of url: URL) {
        for path in databaseFiles(of: url) where FileManager.default.fileExists(atPath: path) {
            _ = chmod(path, 0o600)
        }
    }

    private static func reason(_ error: any Error) -> String {
        let nsError = error as NSError
        if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError {
            return String(cString: strerror(Int32(underlying.code)))
        }
        return nsError.localizedDescription
    }
}
