"""Model proposals in the annotation screen: a ghost lane, accept / reject / accept-and-edit."""
