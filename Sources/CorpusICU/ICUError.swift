internal import CICU

/// An ICU failure: the error code's name and what we were doing. ICU warnings (codes below zero,
/// e.g. `U_USING_DEFAULT_WARNING`) are not errors.
public struct ICUError: Error, CustomStringConvertible, Sendable, Equatable {
    /// ICU's numeric `UErrorCode`.
    public let code: Int32
    /// ICU's name for it, e.g. `U_ILLEGAL_ARGUMENT_ERROR`.
    public let name: String
    /// The operation that failed.
    public let operation: String

    init(_ code: UErrorCode, _ operation: String) {
        self.code = Int32(code.rawValue)
        self.name = String(cString: cicu_u_errorName(code))
        self.operation = operation
    }

    public var description: String { "ICU error \(name) in \(operation)" }
}

extension UErrorCode {
    /// Success is `code <= U_ZERO_ERROR`: warnings are negative.
    @inline(__always)
    var isFailure: Bool { rawValue > U_ZERO_ERROR.rawValue }

    @inline(__always)
    func check(_ operation: @autoclosure () -> String) throws(ICUError) {
        if isFailure { throw ICUError(self, operation()) }
    }
}
