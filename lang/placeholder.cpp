// replaced by the lang sources
