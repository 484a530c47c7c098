;;; schemos — (gnu services virtualization): the childhurd service.
;;;
;;; This models the "Hurd in a VM" part of Guix 1.5's module of the same
;;; name: `hurd-vm-service-type' runs a GNU/Hurd virtual machine (a
;;; "childhurd") under QEMU as the shepherd service `hurd-vm' (alias
;;; `childhurd'; `hurd-vmN'/`childhurdN' for a configuration with id N),
;;; forwards host ports to the guest's secrets, SSH and VNC ports, sends the
;;; guest its secrets (host keys, Guix signing key) at boot and, when
;;; offloading is on, declares the childhurd as a build machine.
;;;
;;; The libvirt, virtlog, QEMU binfmt, guest-agent and virtual build
;;; machine services of that Guix module are not modelled.
;;;
;;; The image of a childhurd is an <image> of (gnu image): by default the
;;; image type named by the configuration's `type' (hurd-qcow2) applied to
;;; its operating system, with the configuration's disk size; QEMU boots
;;; `(system-image image)', which schemos' image backend builds.
;;;
;;; schemos extensions: `hurd-vm-configuration->qemu-command' (the QEMU
;;; command line, see its docstring for how store items appear) and the port
;;; constants.  An image field holding a file-like object instead of an
;;; <image> (say, a local-file of a ready disk image) is given to QEMU as it
;;; is.
;;;
;;; The gexps are store-side code whose text decides derivation hashes, so
;;; they are written as Guix 1.5 writes them.

(define-module (gnu services virtualization)
  #:use-module (gnu bootloader)
  #:use-module (gnu bootloader grub)
  #:use-module (gnu image)
  #:use-module (gnu packages admin)
  #:use-module (gnu packages bash)
  #:use-module (gnu packages gdb)
  #:autoload   (gnu packages gnupg) (guile-gcrypt)
  #:use-module (gnu packages package-management)
  #:use-module (gnu packages ssh)
  #:use-module (gnu packages virtualization)
  #:use-module (gnu services)
  #:use-module (gnu services base)
  #:use-module (gnu services shepherd)
  #:use-module (gnu services ssh)
  #:use-module (gnu system)
  #:use-module (gnu system hurd)
  #:use-module (gnu system image)
  #:use-module (gnu system images hurd)
  #:use-module (gnu system shadow)
  #:use-module (guix gexp)
  #:use-module (guix platform)
  #:use-module (guix records)
  #:use-module (srfi srfi-1)
  #:export (%hurd-vm-operating-system
            hurd-vm-configuration
            hurd-vm-configuration?
            hurd-vm-configuration-os
            hurd-vm-configuration-qemu
            hurd-vm-configuration-type
            hurd-vm-configuration-image
            hurd-vm-configuration-disk-size
            hurd-vm-configuration-memory-size
            hurd-vm-configuration-options
            hurd-vm-configuration-id
            hurd-vm-configuration-net-options
            hurd-vm-configuration-offloading?
            hurd-vm-configuration-secret-root

            hurd-vm-disk-image
            hurd-vm-port
            hurd-vm-net-options
            hurd-vm-service-type

            secret-service-type
            secret-service-operating-system

            ;; schemos extensions
            %hurd-vm-secrets-port
            %hurd-vm-ssh-port
            %hurd-vm-vnc-port
            hurd-vm-configuration->qemu-command))


;;;
;;; Secrets for guest VMs.
;;;

(define (secret-service-shepherd-services address)
  "Return the shepherd service that receives secrets from the host on
ADDRESS (a gexp evaluating to a socket address) and reboots when that fails."
  ;; A shepherd service rather than an activation snippet: it must start
  ;; once networking is up to accept the host's connection.
  (list
   (shepherd-service
    (documentation "Fetch secrets from the host at startup time.")
    (provision '(secret-service-client))
    (requirement '(loopback networking))
    (modules '((gnu build secret-service)
               (guix build utils)
               ((shepherd system) #:select (reboot))))
    (start (with-imported-modules '((gnu build secret-service)
                                    (guix build utils))
             #~(lambda ()
                 ;; shepherd's output goes to /dev/log: use stderr to be
                 ;; seen on the Mach console.
                 (format (current-error-port)
                         "receiving secrets from the host...~%")
                 (force-output (current-error-port))

                 (let ((sent (secret-service-receive-secrets #$address)))
                   (unless sent
                     (sleep 3)
                     (reboot))))))
    (stop #~(const #f)))))

(define secret-service-type
  (service-type
   (name 'secret-service)
   (extensions (list (service-extension shepherd-root-service-type
                                        secret-service-shepherd-services)
                     ;; Every shepherd service waits for the secrets.
                     (service-extension user-processes-service-type
                                        (const '(secret-service-client)))))
   (description
    "This service fetches secret key and other sensitive material over TCP at
boot time.  This service is meant to be used by virtual machines (VMs) that
can only be accessed by their host.")))

(define* (secret-service-operating-system os
                                          #:optional
                                          (address
                                           #~(make-socket-address
                                              AF_INET INADDR_ANY 1004)))
  "Return OS with the secret service listening on ADDRESS, and without the
SSH host key and Guix signing key generation: the host sends those keys."
  (operating-system
    (inherit os)
    (services
     (cons (service secret-service-type address)
           (modify-services (operating-system-user-services os)
             (openssh-service-type
              config => (openssh-configuration
                         (inherit config)
                         (generate-host-keys? #f)))
             (guix-service-type
              config => (guix-configuration
                         (inherit config)
                         (generate-substitute-key? #f))))))))


;;;
;;; The childhurd's operating system.
;;;

(define (operating-system-with-offloading-account os)
  "Return OS with a system account 'offloading' that the host logs in as to
offload builds."
  (define accounts
    (list (user-group
           (name "offloading")
           (system? #t))
          (user-account
           (name "offloading")
           (group "offloading")
           (system? #t)
           (comment "Offloading privilege separation user")
           (home-directory "/var/run/offloading")
           (shell (file-append bash-minimal "/bin/sh")))))

  (operating-system
    (inherit os)
    (services (cons (simple-service 'offloading-account
                                    account-service-type
                                    accounts)
                    (operating-system-user-services os)))))

(define (operating-system-with-locked-root-account os)
  "Return OS whose root account has no password at all (rather than an
empty one), so nobody can log in as root with a password."
  (define root
    (user-account
     (inherit %root-account)
     (password #f)))

  (operating-system
    (inherit os)
    (users (cons root (operating-system-users os)))))

(define %hurd-vm-operating-system
  (operating-system
    (inherit %hurd-default-operating-system)
    (host-name "childhurd")
    (timezone "Europe/Amsterdam")
    (bootloader (bootloader-configuration
                 (bootloader grub-minimal-bootloader)
                 (targets '("/dev/vda"))
                 (timeout 0)))
    (packages (cons* gdb-minimal
                     (operating-system-packages
                      %hurd-default-operating-system)))
    (services (cons*
               (service openssh-service-type
                        (openssh-configuration
                         (openssh openssh-sans-x)
                         (use-pam? #f)
                         (permit-root-login 'prohibit-password)
                         (allow-empty-passwords? #t)
                         (password-authentication? #t)))
               ;; The secret service brings a ready /etc/guix/acl: keep
               ;; activation from overwriting it.
               (modify-services %base-services+qemu-networking/hurd
                 (guix-service-type config =>
                                    (guix-configuration
                                     (inherit config)
                                     (authorize-key? #f))))))))


;;;
;;; Disk images.
;;;

(define %hurd-vm-image-types
  ;; The image types a childhurd can boot.
  '(hurd-qcow2 hurd64-qcow2))

(define (sanitize-hurd-vm-configuration-type value)
  "Return VALUE if it names an image type a childhurd can boot, else fail
with Guix's message."
  (unless (memq value %hurd-vm-image-types)
    (error (format #f "hurd-vm: '~a' is not a valid type" value)))
  value)


;;;
;;; The configuration record.
;;;

(define-record-type* <hurd-vm-configuration>
  hurd-vm-configuration make-hurd-vm-configuration
  hurd-vm-configuration?
  this-hurd-vm-configuration
  (os          hurd-vm-configuration-os                 ;<operating-system>
               (default %hurd-vm-operating-system))
  (qemu        hurd-vm-configuration-qemu               ;file-like
               (default qemu-minimal))
  (type        hurd-vm-configuration-type               ;symbol
               (default 'hurd-qcow2)
               (sanitize sanitize-hurd-vm-configuration-type))
  ;; Computed from the other fields unless given (a file-like then).
  (image       hurd-vm-configuration-image              ;<image>
               (thunked)
               (default (hurd-vm-disk-image this-hurd-vm-configuration)))
  (disk-size   hurd-vm-configuration-disk-size          ;bytes or 'guess
               (default 'guess))
  (memory-size hurd-vm-configuration-memory-size        ;MiB
               (default 2048))
  (options     hurd-vm-configuration-options            ;list of strings
               (default '("--snapshot")))
  (id          hurd-vm-configuration-id                 ;#f or integer >= 1
               (default #f))
  (net-options hurd-vm-configuration-net-options        ;list of strings
               (thunked)
               (default (hurd-vm-net-options this-hurd-vm-configuration)))
  (offloading? hurd-vm-configuration-offloading?        ;Boolean
               (default #t))
  (secret-root hurd-vm-configuration-secret-root        ;string
               (default "/etc/childhurd")))

(define (hurd-vm-disk-image config)
  "Return the disk image of the childhurd of CONFIG: its operating system
with the secret service added (and, when offloading, the 'offloading'
account and a locked root account), as an image of CONFIG's type and disk
size."
  (define transform
    (compose secret-service-operating-system
             ;; With offloading, anyone on the host who could log in as
             ;; root without a password could fill the host's store through
             ;; the guest (e.g. over VNC): lock root.
             (if (hurd-vm-configuration-offloading? config)
                 (compose operating-system-with-locked-root-account
                          operating-system-with-offloading-account)
                 identity)))

  (let* ((os        (transform (hurd-vm-configuration-os config)))
         (disk-size (hurd-vm-configuration-disk-size config))
         (type      (lookup-image-type-by-name
                     (hurd-vm-configuration-type config)))
         (os->image (image-type-constructor type)))
    (image (inherit (os->image os))
           (size disk-size))))


;;;
;;; Ports.
;;;

(define %hurd-vm-secrets-port 11004)    ;host side of the guest's port 1004
(define %hurd-vm-ssh-port 10022)        ;host side of the guest's port 22
(define %hurd-vm-vnc-port 15900)        ;host side of the guest's port 5900

(define (hurd-vm-port config base)
  "Return the host port forwarded for BASE in CONFIG: childhurd number ID
uses BASE + 1000 * ID, so several childhurds can run side by side."
  (+ base (* 1000 (or (hurd-vm-configuration-id config) 0))))

(define (hurd-vm-net-options config)
  "Return the QEMU network options of CONFIG: an rtl8139 NIC on user-mode
networking, with the host's loopback ports forwarded to the guest's secret
service, SSH and VNC ports."
  (define (forward base guest-port)
    (string-append ",hostfwd=tcp:127.0.0.1:"
                   (number->string (hurd-vm-port config base))
                   "-:" (number->string guest-port)))

  (list "--device" "rtl8139,netdev=net0"
        "--netdev"
        (string-append "user,id=net0"
                       (forward %hurd-vm-secrets-port 1004)
                       (forward %hurd-vm-ssh-port 22)
                       (forward %hurd-vm-vnc-port 5900))))


;;;
;;; The QEMU command and the shepherd service.
;;;

(define (hurd-vm-disk config)
  "Return what QEMU's --hda gets for CONFIG: the system image of its image
(a file-like object the image backend builds), or the file-like object its
image field holds."
  (let ((image (hurd-vm-configuration-image config)))
    (if (image? image)
        (system-image image)
        image)))

(define (qemu-binary config)
  "Return the QEMU emulator of CONFIG, a file-append of its QEMU package."
  ;; The x86_64 emulator, also for i586-gnu guests: qemu-system-i386 hits
  ;; "Bad ram pointer" errors (Guix bug #66053).
  (file-append (hurd-vm-configuration-qemu config) "/bin/qemu-system-x86_64"))

(define* (hurd-vm-configuration->qemu-command config #:key (kvm? #f))
  "Return the command line the hurd-vm shepherd service runs for CONFIG, as
a list.  Store items are the file-like objects themselves, to be lowered to
store file names: the first element is the `file-append' of CONFIG's QEMU
package and \"/bin/qemu-system-x86_64\", and the argument of \"--hda\" is the
<system-image> of CONFIG's image (see (gnu system image)), or the file-like
object CONFIG's image field holds.  Every other element is a string.  The
service adds \"--enable-kvm\" when the host has /dev/kvm at start time; pass
#:kvm? #t to get that command."
  (append (list (qemu-binary config)
                "-m" (number->string (hurd-vm-configuration-memory-size config)))
          (hurd-vm-configuration-net-options config)
          (hurd-vm-configuration-options config)
          (list "--hda" (hurd-vm-disk config)
                "--no-reboot")
          (if kvm? '("--enable-kvm") '())))

(define (hurd-vm-shepherd-service config)
  "Return the shepherd service running the childhurd of CONFIG."
  (let ((qemu        (hurd-vm-configuration-qemu config))
        (memory-size (hurd-vm-configuration-memory-size config))
        (options     (hurd-vm-configuration-options config))
        (id          (hurd-vm-configuration-id config))
        (net-options (hurd-vm-configuration-net-options config))
        (provisions  '(hurd-vm childhurd)))

    (define vm-command
      #~(append (list #$(file-append qemu "/bin/qemu-system-x86_64")
                      "-m" (number->string #$memory-size)
                      #$@net-options
                      #$@options
                      "--hda" #+(hurd-vm-disk config)
                      ;; A guest that reboots (bad secrets, crash) exits
                      ;; QEMU, and shepherd respawns the service.
                      "--no-reboot")
                (if (file-exists? "/dev/kvm")
                    '("--enable-kvm")
                    '())))

    (list
     (shepherd-service
      (documentation "Run the Hurd in a Virtual Machine: a Childhurd.")
      (provision (if id
                     (map (lambda (name)
                            (symbol-append name
                                           (string->symbol
                                            (number->string id))))
                          provisions)
                     provisions))
      (requirement '(loopback networking user-processes))
      (start
       ;; Guix imports the source-module-closure of these two modules; as
       ;; neither uses another Guix module, that closure is this very list.
       (with-imported-modules '((gnu build secret-service)
                                (guix build utils))
         #~(lambda ()
             (let* ((pid  (fork+exec-command #$vm-command
                                             #:user "childhurd"
                                             ;; "kvm" gives access to
                                             ;; /dev/kvm.
                                             #:group "kvm"
                                             #:environment-variables
                                             ;; Not /var/tmp, QEMU's
                                             ;; default.
                                             '("TMPDIR=/tmp")))
                    (port #$(hurd-vm-port config %hurd-vm-secrets-port))
                    (root #$(hurd-vm-configuration-secret-root config))
                    (address (make-socket-address AF_INET INADDR_LOOPBACK
                                                  port)))
               (catch #t
                 (lambda _
                   ;; This blocks until the guest's secret service runs.
                   (if (secret-service-send-secrets address root)
                       pid
                       (begin
                         (kill (- pid) SIGTERM)
                         #f)))
                 (lambda (key . args)
                   (kill (- pid) SIGTERM)
                   (apply throw key args)))))))
      (modules `((gnu build secret-service)
                 (guix build utils)
                 ,@%default-modules))
      (stop  #~(make-kill-destructor))))))

(define %hurd-vm-accounts
  ;; QEMU runs as this user, in group kvm.
  (list (user-group (name "childhurd") (system? #t))
        (user-account
         (name "childhurd")
         (group "childhurd")
         (supplementary-groups '("kvm"))
         (comment "Privilege separation user for the childhurd")
         (home-directory "/var/empty")
         (shell (file-append shadow "/sbin/nologin"))
         (system? #t))))


;;;
;;; Activation: the secrets and the offloading keys.
;;;

(define (authorize-guest-substitutes-on-host)
  "Return a program that adds the guest's archive signing key (found in the
directory given as its argument) to the host's ACL."
  ;; Simplified: Guix imports the whole closure of (guix pki), with a
  ;; generated (guix config); that only matters once this program is
  ;; lowered (a later stage).
  (define run
    (with-extensions (list guile-gcrypt)
      (with-imported-modules '((guix pki)
                               (guix build utils))
        #~(begin
            (use-modules (ice-9 match)
                         (ice-9 textual-ports)
                         (gcrypt pk-crypto)
                         (guix pki)
                         (guix build utils))

            (match (command-line)
              ((_ guest-config-directory)
               (let ((guest-key (string-append guest-config-directory
                                               "/signing-key.pub")))
                 (if (file-exists? guest-key)
                     ;; Add guest key to the host's ACL.
                     (let* ((key (string->canonical-sexp
                                  (call-with-input-file guest-key
                                    get-string-all)))
                            (acl (public-keys->acl
                                  (cons key (acl->public-keys (current-acl))))))
                       (with-atomic-file-replacement %acl-file
                         (lambda (_ port)
                           (write-acl acl port))))
                     (format (current-error-port)
                             "warning: guest key missing from '~a'~%"
                             guest-key)))))))))

  (program-file "authorize-guest-substitutes-on-host" run))

(define (initialize-build-vm-substitutes)
  "Return a program that creates the guest's archive signing key pair and
ACL in the directory given as its argument, authorizing the host's key."
  (define run
    (with-imported-modules '((guix build utils))
      #~(begin
          (use-modules (guix build utils)
                       (ice-9 match))

          (define host-key
            "/etc/guix/signing-key.pub")

          (define host-acl
            "/etc/guix/acl")

          (match (command-line)
            ((_ guest-config-directory)
             (setenv "GUIX_CONFIGURATION_DIRECTORY"
                     guest-config-directory)
             (invoke #+(file-append guix "/bin/guix") "archive"
                     "--generate-key")

             (when (file-exists? host-acl)
               ;; Copy the host ACL.
               (copy-file host-acl
                          (string-append guest-config-directory
                                         "/acl")))

             (when (file-exists? host-key)
               ;; Add the host key to the childhurd's ACL.
               (let ((key (open-fdes host-key O_RDONLY)))
                 (close-fdes 0)
                 (dup2 key 0)
                 (execl #+(file-append guix "/bin/guix")
                        "guix" "archive" "--authorize"))))))))

  (program-file "initialize-build-vm-substitutes" run))

(define* (build-vm-activation secret-directory
                              #:key
                              offloading-ssh-key
                              (offloading? #t))
  "Return the activation gexp that prepares, under SECRET-DIRECTORY, the
secrets sent to the guest (SSH host keys, Guix key pair and ACL), and when
OFFLOADING? an SSH key pair the host offloads with, OFFLOADING-SSH-KEY."
  (with-imported-modules '((guix build utils))
    #~(begin
        (use-modules (guix build utils))

        (define secret-directory
          #$secret-directory)

        (define ssh-directory
          (string-append secret-directory "/etc/ssh"))

        (define guix-directory
          (string-append secret-directory "/etc/guix"))

        (define offloading-ssh-key
          #$offloading-ssh-key)

        (unless (file-exists? ssh-directory)
          ;; Generate SSH host keys under SSH-DIRECTORY.
          (mkdir-p ssh-directory)
          (invoke #$(file-append openssh "/bin/ssh-keygen")
                  "-A" "-f" secret-directory))

        (unless (or (not #$offloading?)
                    (file-exists? offloading-ssh-key))
          ;; Generate a user SSH key pair for the host to use when offloading
          ;; to the guest.
          (mkdir-p (dirname offloading-ssh-key))
          (invoke #$(file-append openssh "/bin/ssh-keygen")
                  "-t" "ed25519" "-N" ""
                  "-f" offloading-ssh-key)

          ;; Authorize it in the guest for user 'offloading'.
          (let ((authorizations
                 (string-append ssh-directory
                                "/authorized_keys.d/offloading")))
            (mkdir-p (dirname authorizations))
            (copy-file (string-append offloading-ssh-key ".pub")
                       authorizations)
            (chmod (dirname authorizations) #o555)))

        (unless (file-exists? guix-directory)
          (invoke #$(initialize-build-vm-substitutes)
                  guix-directory))

        (when #$offloading?
          ;; Authorize the archive signing key from GUIX-DIRECTORY in the host.
          (invoke #$(authorize-guest-substitutes-on-host) guix-directory)))))

(define (hurd-vm-configuration-offloading-ssh-key config)
  "Return the file name of the SSH key the host offloads to CONFIG's
childhurd with."
  (string-append "/etc/guix/offload/ssh/childhurd"
                 (or (and=> (hurd-vm-configuration-id config)
                            number->string)
                     "")))

(define (hurd-vm-activation config)
  "Return the activation gexp of the childhurd of CONFIG."
  (build-vm-activation (hurd-vm-configuration-secret-root config)
                       #:offloading?
                       (hurd-vm-configuration-offloading? config)
                       #:offloading-ssh-key
                       (hurd-vm-configuration-offloading-ssh-key config)))


;;;
;;; Offloading: the childhurd as a build machine of the host.
;;;

(define (hurd-vm-guix-extension config)
  "Return the guix-service-type extension of CONFIG: with offloading, the
childhurd as a build machine in /etc/guix/machines.scm."
  (if (hurd-vm-configuration-offloading? config)
      (let* ((image (hurd-vm-configuration-image config))
             (platform (image-platform
                        (if (image? image)
                            image
                            ;; A file-like image: the platform of the type.
                            ((image-type-constructor
                              (lookup-image-type-by-name
                               (hurd-vm-configuration-type config)))
                             #f))))
             (system (platform-system platform))
             (vm-ssh-key (string-append
                          (hurd-vm-configuration-secret-root config)
                          "/etc/ssh/ssh_host_ed25519_key.pub"))
             (host-ssh-key (hurd-vm-configuration-offloading-ssh-key config)))
        (guix-extension
         (build-machines
          (list #~(build-machine
                   (name "localhost")
                   (port #$(hurd-vm-port config %hurd-vm-ssh-port))
                   (systems '(#$system))
                   (host-key (call-with-input-file #$vm-ssh-key
                               (@ (ice-9 textual-ports)
                                  get-string-all)))
                   (user "offloading")
                   (overload-threshold 1.8) ;load reporting is off by 1
                   (private-key #$host-ssh-key))))))
      (guix-extension)))


;;;
;;; The service type.
;;;

(define hurd-vm-service-type
  (service-type
   (name 'hurd-vm)
   (extensions (list (service-extension shepherd-root-service-type
                                        hurd-vm-shepherd-service)
                     (service-extension account-service-type
                                        (const %hurd-vm-accounts))
                     (service-extension guix-service-type
                                        hurd-vm-guix-extension)
                     (service-extension activation-service-type
                                        hurd-vm-activation)))
   (default-value (hurd-vm-configuration))
   (description
    "Provide a virtual machine (VM) running GNU/Hurd, also known as a
@dfn{childhurd}.")))
