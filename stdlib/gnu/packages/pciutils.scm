;;; schemos --- evaluate GNU Guix system descriptions
;;;
;;; (gnu packages pciutils): the PCI utilities (lspci, setpci) that
;;; %base-packages-linux installs.  Name, version, source URL and hash are
;;; those of GNU Guix; inputs outside the part of the package graph schemos
;;; models are left out (see docs/packages.md).

(define-module (gnu packages pciutils)
  #:use-module ((guix licenses) #:prefix license:)
  #:use-module (gnu packages)
  #:use-module (gnu packages base)
  #:use-module (gnu packages compression)
  #:use-module (gnu packages linux)
  #:use-module (guix gexp)
  #:use-module (guix packages)
  #:use-module (guix download)
  #:use-module (guix utils)
  #:use-module (guix build-system gnu))

(define-public pciutils
  (package
    (name "pciutils")
    (version "3.8.0")
    (source (origin
              (method url-fetch)
              (uri (string-append
                    "mirror://kernel.org/software/utils/pciutils/pciutils-"
                    version ".tar.xz"))
              (sha256
               (base32
                "01aglgw9ds9qiswcbi2lx90lswncikrlyv8mmp4haix8542bvvci"))))
    (build-system gnu-build-system)
    (arguments
     ;; Guix's phases unbundle pci.ids (from hwdata) and adjust the raw
     ;; makefile, for there is no 'configure' script.
     (list
      ;; Make sure programs have an RPATH so they can find libpciutils.so.
      #:make-flags #~(list #$(string-append "CC="
                                            (if (%current-target-system)
                                                (cc-for-target)
                                                "gcc"))
                           (string-append "LDFLAGS=-Wl,-rpath="
                                          (assoc-ref %outputs "out") "/lib"))
      ;; No test suite.
      #:tests? #f))
    ;; Guix also has hwdata and pkg-config.
    (native-inputs
     (list which))
    (inputs
     `(,@(if (not (target-hurd?))
             `(("kmod" ,kmod))
             '())
       ("zlib" ,zlib)))
    (home-page "https://mj.ucw.cz/sw/pciutils/")
    (synopsis "Programs for inspecting and manipulating PCI devices")
    (description
     "The PCI Utilities are a collection of programs for inspecting and
manipulating configuration of PCI devices, all based on a common portable
library libpci which offers access to the PCI configuration space on a variety
of operating systems.  This includes the @command{lspci} and @command{setpci}
commands.")
    (license license:gpl2+)))
