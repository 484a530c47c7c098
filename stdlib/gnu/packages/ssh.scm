;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages ssh): OpenSSH and Guile-SSH, as in GNU Guix 1.5.  Names,
;;; versions, source URLs and hashes are Guix's; inputs outside the part of
;;; the package graph schemos models are left out (see docs/packages.md).

(define-module (gnu packages ssh)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (gnu packages)
  #:use-module (gnu packages compression)
  #:use-module (gnu packages gnupg)
  #:use-module (gnu packages guile)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix git-download)
  #:use-module (guix build-system gnu))

(define-public libssh2
  (package
    (name "libssh2")
    (version "1.10.0")
    (source (origin
              (method url-fetch)
              (uri (string-append
                    "https://www.libssh2.org/download/libssh2-"
                    version ".tar.gz"))
              (sha256
               (base32
                "0l8xwhhscvss7q007vpbkbv7jh9s43579rx2sf8lnfgd7l7yjr1d"))))
    (build-system gnu-build-system)
    (propagated-inputs (list libgcrypt zlib))
    (synopsis "Client-side C library implementing the SSH2 protocol")
    (description
     "libssh2 is a library intended to allow software developers access to
the SSH-2 protocol in an easy-to-use self-contained package.")
    (license license:bsd-3)
    (home-page "https://www.libssh2.org/")))

(define-public openssh
  (package
    (name "openssh")
    (version "10.0p1")
    (source
     (origin
       (method url-fetch)
       (uri (string-append "mirror://openbsd/OpenSSH/portable/"
                           "openssh-" version ".tar.gz"))
       (patches (search-patches "openssh-trust-guix-store-directory.patch"))
       (sha256
        (base32 "0p6qp47gkkjrxlqaignsvn81lh80wnlxasr5n5845pqfk9q2w6h2"))))
    (build-system gnu-build-system)
    (arguments
     '(#:test-target "tests"
       #:parallel-tests? #f))
    ;; Guix: native inputs groff and pkg-config; inputs libedit, openssl,
    ;; mit-krb5, zlib, xauth, and, except on the Hurd, linux-pam and
    ;; libfido2.
    (inputs (list zlib))
    (synopsis "Client and server for the secure shell (ssh) protocol")
    (description
     "The SSH2 protocol implemented in OpenSSH is standardised by the
IETF secsh working group and is specified in several RFCs and drafts.")
    (license (license:non-copyleft "file://LICENSE"
                                   "See LICENSE in the distribution."))
    (properties
     '((release-monitoring-url . "https://ftp.openbsd.org/pub/OpenBSD/OpenSSH/portable/")))
    (home-page "https://www.openssh.com/")))

;; OpenSSH without X support. This allows using OpenSSH without dragging X
;; libraries to the closure.
(define-public openssh-sans-x
  (package
    (inherit openssh)
    (name "openssh-sans-x")
    (inputs (modify-inputs (package-inputs openssh)
              (delete "xauth")))
    (synopsis "OpenSSH client and server without X11 support")))

(define-public guile-ssh
  (package
    (name "guile-ssh")
    (version "0.18.0")
    (home-page "https://github.com/artyom-poptsov/guile-ssh")
    (source (origin
              (method git-fetch)
              (uri (git-reference
                    (url home-page)
                    (commit (string-append "v" version))))
              (file-name (git-file-name name version))
              (sha256
               (base32
                "0zh1spkjl5q778y4rd6ml68fvz1r62xmk03khi4kp74z2rxgzcxb"))))
    (build-system gnu-build-system)
    (outputs '("out" "debug"))
    (arguments '(#:configure-flags '("--disable-static")))
    (native-inputs (list guile-3.0))              ;Guix: + autotools etc.
    (inputs (list guile-3.0 libgcrypt))           ;Guix: + libssh
    (synopsis "Guile bindings to libssh")
    (description
     "Guile-SSH is a library that provides access to the SSH protocol for
programs written in GNU Guile interpreter.")
    (license license:gpl3+)))
