;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages admin): system administration tools: the Shepherd,
;;; Shadow, mingetty, sudo, GNU Inetutils, the ISC DHCP client and Debian's
;;; netbase (/etc/services and co.).  Names, versions, source URLs and
;;; hashes are those of GNU Guix (admin.scm of 2025); inputs outside the
;;; part of the package graph schemos models are left out (see
;;; docs/packages.md).

(define-module (gnu packages admin)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (gnu packages)
  #:use-module (gnu packages base)
  #:use-module (gnu packages bash)
  #:use-module (gnu packages compression)
  #:use-module (gnu packages guile)
  #:use-module (gnu packages linux)
  #:use-module (gnu packages ncurses)
  #:use-module (gnu packages readline)
  #:use-module (guix gexp)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix utils)
  #:use-module (guix build-system gnu)
  #:use-module (guix build-system trivial))

(define-public shepherd-0.10
  (package
    (name "shepherd")
    (version "0.10.5")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/shepherd/shepherd-"
                                  version ".tar.gz"))
              (sha256
               (base32
                "0k40n9qm5r5rqf94isa1857ghd4329zc5rjf3ll2572gpiw3ij4x"))))
    (build-system gnu-build-system)
    (arguments
     (list #:configure-flags #~'("--localstatedir=/var")
           #:make-flags #~'("GUILE_AUTO_COMPILE=0")))
    ;; Guix also has pkg-config and guile-fibers.
    (native-inputs (list guile-3.0))
    (inputs (list guile-3.0))
    (synopsis "System service manager")
    (description
     "The GNU Shepherd is a daemon-managing daemon, meaning that it supervises
the execution of system services, replacing similar functionality found in
typical init systems.")
    (license license:gpl3+)
    (home-page "https://www.gnu.org/software/shepherd/")))

(define-public shepherd-1.0
  (package
    (inherit shepherd-0.10)
    (version "1.0.3")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/shepherd/shepherd-"
                                  version ".tar.gz"))
              (sha256
               (base32
                "1n7k1d8zb4v0h5s1kq2k51381a8dgz9k75fybklgnxpxbzmpkrs0"))))
    (inputs (modify-inputs (package-inputs shepherd-0.10)
              (append gzip)))))                   ;Guix: + zstd

(define-public shepherd shepherd-0.10)

(define-public shadow
  (package
    (name "shadow")
    (version "4.13")
    (source (origin
              (method url-fetch)
              (uri (string-append
                    "https://github.com/shadow-maint/shadow/releases/"
                    "download/" version "/shadow-" version ".tar.xz"))
              (sha256
               (base32
                "0b6xz415b4y3y5nk3pw9xibv05kln4cjbmhybyncmrx2g5fj9zls"))))
    (build-system gnu-build-system)
    (arguments
     ;; Assume System V `setpgrp (void)', which is the default on GNU
     ;; variants (`AC_FUNC_SETPGRP' is not cross-compilation capable.)
     `(#:configure-flags
       '(,@(if (target-hurd?)
               '()
               '("--with-libpam"))
         "shadow_cv_logdir=/var/log"
         "ac_cv_func_setpgrp_void=yes")))
    ;; Guix also has libxcrypt.
    (inputs
     (if (target-hurd?)
         '()
         (list linux-pam)))
    (home-page "https://github.com/shadow-maint/shadow")
    (synopsis "Authentication-related tools such as passwd, su, and login")
    (description
     "Shadow provides a number of authentication-related tools, including:
login, passwd, su, groupadd, and useradd.")
    ;; The `vipw' program is GPLv2+.
    ;; libmisc/salt.c is public domain.
    (license license:bsd-3)))

(define-public sudo
  (package
    (name "sudo")
    (version "1.9.16")
    (source (origin
              (method url-fetch)
              (uri
               (list (string-append "https://www.sudo.ws/sudo/dist/sudo-"
                                    version ".tar.gz")
                     (string-append "ftp://ftp.sudo.ws/pub/sudo/OLD/sudo-"
                                    version ".tar.gz")))
              (sha256
               (base32
                "0gd0pyycc3jnbgq5f8056fyc4a1ix257j2rxazy35dq6gxwlvn60"))
              (modules '((guix build utils)))
              (snippet
               '(begin
                  (delete-file-recursively "lib/zlib")))))
    (build-system gnu-build-system)
    (outputs (list "out"))
    (arguments
     (list #:configure-flags
           #~(list (string-append "--docdir=" #$output
                                  "/share/doc/" #$name "-" #$version)
                   "--with-logpath=/var/log/sudo.log"
                   "--with-rundir=/var/run/sudo" ; must be cleaned up at boot time
                   "--with-vardir=/var/db/sudo"
                   "--with-iologdir=/var/log/sudo-io"
                   ;; 'visudo.c' expects _PATH_MV to be defined, but glibc
                   ;; doesn't provide it.
                   (string-append "CPPFLAGS=-D_PATH_MV=\\\""
                                  (search-input-file %build-inputs "/bin/mv")
                                  "\\\""))
           ;; Avoid non-determinism; see <http://bugs.gnu.org/21918>.
           #:parallel-build? #f
           ;; The 'testsudoers' test series expects user 'root' to exist, but
           ;; the chroot's /etc/passwd doesn't have it.
           #:tests? #f))
    ;; Guix: native groff.
    (inputs
     (append (list coreutils zlib)
             (if (target-hurd?)
                 '()
                 (list linux-pam))))
    (home-page "https://www.sudo.ws/")
    (synopsis "Run commands as root")
    (description
     "Sudo (su \"do\") allows a system administrator to delegate authority to
give certain users (or groups of users) the ability to run some (or all)
commands as root or another user while providing an audit trail of the
commands and their arguments.")
    ;; See <http://www.sudo.ws/sudo/license.html>.
    (license license:x11)))

(define-public inetutils
  (package
    (name "inetutils")
    (version "2.5")
    (source (origin
              (method url-fetch)
              (uri (string-append "mirror://gnu/inetutils/inetutils-"
                                  version ".tar.gz"))
              (sha256
               (base32
                "0q1257ci22g2jbdiqs00mharc1lqkbibdlkhj23f3si6qjxkn17s"))))
    (build-system gnu-build-system)
    (arguments
     (list
      #:configure-flags
      #~(list "--localstatedir=/var"
              #$@(if (target-hurd?)
                     '("--disable-rcp"
                       "--disable-rexec"
                       "--disable-rexecd"
                       "--disable-rlogin"
                       "--disable-rlogind"
                       "--disable-rsh"
                       "--disable-rshd"
                       "--disable-uucpd"
                       "--disable-whois")
                     '()))
      ;; Make sure that canonical "coreutils" package is not referred.
      #:make-flags
      #~(list (string-append "CPPFLAGS=-DPATHDEF_CP=\\\""
                             (search-input-file %build-inputs "bin/cp")
                             "\\\""))
      ;; On some systems, 'libls.sh' may fail with an error such as:
      ;; "Failed to tell switch -a apart from -A".
      #:parallel-tests? #f))
    ;; Guix also has libxcrypt, and net-tools for the tests.
    (inputs
     (list coreutils
           shadow                     ;for login (used in telnetd and rlogind)
           ncurses
           readline))                   ;for 'ftp'
    (home-page "https://www.gnu.org/software/inetutils/")
    (synopsis "Basic networking utilities")
    (description
     "Inetutils is a collection of common network programs, such as an ftp
client and server, a telnet client and server, an rsh client and server, and
hostname.")
    (license license:gpl3+)))

(define-public mingetty
  (package
    (name "mingetty")
    (version "1.08")
    (source (origin
             (method url-fetch)
             (uri (string-append "mirror://sourceforge/mingetty/mingetty/"
                                 version "/mingetty-" version ".tar.gz"))
             (sha256
              (base32
               "05yxrp44ky2kg6qknk1ih0kvwkgbn9fbz77r3vci7agslh5wjm8g"))))
    (build-system gnu-build-system)
    ;; Guix's 'configure' phase edits the Makefile (there is no configure
    ;; script) and makes mingetty run shadow's 'login' by default.
    (arguments
     `(#:tests? #f))                              ; no tests
    (inputs (list shadow))
    (home-page "https://sourceforge.net/projects/mingetty")
    (synopsis "Getty for the text console")
    (description
     "Small console getty that is started on the Linux text console,
asks for a login name and then transfers over to @code{login}.  It is extended
to allow automatic login and starting any app.")
    (license license:gpl2+)))

(define-public net-base
  (package
    (name "net-base")
    (version "5.3")
    (source (origin
             (method url-fetch)
             (uri (string-append
                   "mirror://debian/pool/main/n/netbase/netbase_"
                   version ".tar.xz"))
             (sha256
              (base32
               "12xqjwg3p4rzmmh2iib6sigm9l29y3dgk74mmnw64k84jnbwdxl1"))))
    (build-system trivial-build-system)
    (arguments
     `(#:modules ((guix build utils))
       ;; This package consists solely of architecture-independent
       ;; tables. Cross-compilation is pointless! Make sure we'll
       ;; always get the same derivation.
       #:target #f
       #:allowed-references ()
       #:builder (begin
                   (use-modules (guix build utils)
                                (srfi srfi-26))
                   (let* ((source (assoc-ref %build-inputs "source"))
                          (tar    (assoc-ref %build-inputs "tar"))
                          (xz     (assoc-ref %build-inputs "xz"))
                          (output (assoc-ref %outputs "out"))
                          (etc    (string-append output "/etc")))
                     (setenv "PATH" (string-append xz "/bin"))
                     (invoke (string-append tar "/bin/tar") "xvf"
                             source)
                     (chdir ,(string-append "netbase-" version))
                     (mkdir-p etc)
                     (for-each copy-file
                               '("etc-services" "etc-protocols" "etc-rpc")
                               (map (cut string-append etc "/" <>)
                                    '("services" "protocols" "rpc")))
                     #t))))
    (native-inputs (list tar xz))
    (synopsis "IANA protocol, port, and RPC number assignments")
    (description
     "This package provides the /etc/services, /etc/protocols, and /etc/rpc
files, which contain information about the IANA-assigned port, protocol, and
ONC RPC numbers.")
    (home-page "https://packages.debian.org/sid/netbase")
    (license license:gpl2)))

(define-public isc-dhcp
  ;; isc-dhcp bundles a copy of BIND, which has proved vulnerable in the
  ;; past: Guix builds it with a BIND of its choosing instead.
  (let* ((bind-major-version "9")
         (bind-minor-version "11")
         (bind-patch-version "37")
         (bind-release-type "")         ; for patch release, use "-P"
         (bind-release-version "")      ; for patch release, e.g. "6"
         (bind-version (string-append bind-major-version
                                      "."
                                      bind-minor-version
                                      "."
                                      bind-patch-version
                                      bind-release-type
                                      bind-release-version)))
    (package
      (name "isc-dhcp")
      (version "4.4.3-P1")
      (source (origin
                (method url-fetch)
                (uri (string-append "https://ftp.isc.org/isc/dhcp/"
                                    version "/dhcp-" version ".tar.gz"))
                (sha256
                 (base32
                  "1ivkvhhvqxap6c51cli7pa6xn76ngxri1zbl45ishz4ranxidi0a"))
                (patches (search-patches
                          "dhclient-script-resolvconf-support.patch"))))
      (build-system gnu-build-system)
      (arguments
       `(#:parallel-build? #f
         #:configure-flags '("--with-randomdev=/dev/random")))
      ;; Guix: native config, perl and file.
      (inputs `(("inetutils" ,inetutils)
                ("bash" ,bash-minimal)
                ,@(if (target-hurd?)
                      '()
                      `(("iproute" ,iproute)))
                ;; Guix also has debianutils (run-parts, for the user hooks
                ;; of dhclient-script) and openresolv ("resolvconf*").
                ("bind-source-tarball"
                 ,(origin
                    (method url-fetch)
                    (uri (string-append "https://ftp.isc.org/isc/bind9/"
                                        bind-version
                                        "/bind-" bind-version ".tar.gz"))
                    (sha256
                     (base32
                      "1zsszgxs9043dfpxb6xs1iwk9jg7nxkl5pbawj8dlshnxkkzp3hd"))))
                ("coreutils*" ,coreutils)
                ("grep*" ,grep)
                ("sed*" ,sed)))
      (home-page "https://www.isc.org/dhcp/")
      (synopsis "Dynamic Host Configuration Protocol (DHCP) tools")
      (description
       "ISC's Dynamic Host Configuration Protocol (DHCP) distribution provides a
reference implementation of all aspects of DHCP, through a suite of DHCP
tools: server, client, and relay agent.

This software is @emph{end-of-life}!  ISC does not intend to issue any further
maintenance releases.")
      (license license:mpl2.0)
      (properties '((cpe-name . "dhcp"))))))
