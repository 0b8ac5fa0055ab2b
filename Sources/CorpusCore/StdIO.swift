#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@discardableResult
func writeStandardError(_ p: UnsafePointer<UInt8>, _ n: Int) -> Int {
    var done = 0
    while done < n {
        let r = write(2, p + done, n - done)
        if r <= 0 { break }
        done += r
    }
    return done
}

/// True when the file descriptor is a terminal.
public func isTerminal(_ fd: Int32) -> Bool { isatty(fd) != 0 }
