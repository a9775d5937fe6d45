/// Thrown to end a handler whose connection the simulator closed on purpose.
enum SimAbort: Error {
    case connectionClosed
}
