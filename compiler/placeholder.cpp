// replaced by the compiler sources
