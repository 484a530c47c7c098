;; /etc/guix/machines.scm: the machines 'guix offload' may send builds to.
;; Here, the childhurd of examples/childhurd.tmpl, whose SSH server QEMU
;; forwards to port 10022 of the host.
;;
;; 'guix offload' loads this file in a module that uses (guix scripts
;; offload); the 'use-modules' form says so for other readers.

(use-modules (guix scripts offload))

(list (build-machine
       (name "localhost")
       (systems (list "i586-gnu"))
       (host-key "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHZsrZ63zs+AhWbVJgYq6j1h2rgQGrWKCokpR2/Q/Jzy root@guixygnu")
       (port 10022)  ;the Hurd VM has SSH listening on that port
       (user "root")
       (private-key "/home/janneke/.ssh/id_rsa_childhurd")))
