// implemented by the routing work
